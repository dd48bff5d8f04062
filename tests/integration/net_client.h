// Plain TCP and UDP clients for the integration tests, with deadlines: what a
// player's game client does to a server's public port.
#pragma once

#include <chrono>
#include <string>

namespace gsp::test {

// Connects to 127.0.0.1:port, sends `payload`, and reads until as many bytes
// came back or the deadline passed. Returns what was read ("" on failure).
std::string tcpRoundTrip(int port, const std::string& payload, std::chrono::milliseconds deadline);

// Sends `payload` to 127.0.0.1:port from one socket every `resend` until a
// datagram comes back or the deadline passed; returns it ("" on timeout).
std::string udpRoundTrip(int port, const std::string& payload, std::chrono::milliseconds deadline,
                         std::chrono::milliseconds resend);

// A player that connects and then stays silent (AFK) until close().
class TcpClient {
 public:
  explicit TcpClient(int port);  // connects to 127.0.0.1:port; valid() says whether it did
  ~TcpClient() { close(); }
  TcpClient(const TcpClient&) = delete;
  TcpClient& operator=(const TcpClient&) = delete;
  bool valid() const { return fd_ >= 0; }
  void close();

 private:
  int fd_ = -1;
};

}  // namespace gsp::test
