#include "net_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gsp::test {

namespace {

using Clock = std::chrono::steady_clock;

sockaddr_in loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int msLeft(Clock::time_point end) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

struct Fd {
  int fd;
  ~Fd() { if (fd >= 0) close(fd); }
};

}  // namespace

std::string tcpRoundTrip(int port, const std::string& payload, std::chrono::milliseconds deadline) {
  Clock::time_point end = Clock::now() + deadline;
  Fd s{socket(AF_INET, SOCK_STREAM, 0)};
  sockaddr_in a = loopback(port);
  if (connect(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return "";
  if (send(s.fd, payload.data(), payload.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(payload.size())) return "";
  std::string got;
  while (got.size() < payload.size()) {
    pollfd p{s.fd, POLLIN, 0};
    if (poll(&p, 1, msLeft(end)) <= 0) break;
    char buf[4096];
    ssize_t n = recv(s.fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<size_t>(n));
  }
  return got;
}

std::string udpRoundTrip(int port, const std::string& payload, std::chrono::milliseconds deadline,
                         std::chrono::milliseconds resend) {
  Clock::time_point end = Clock::now() + deadline;
  Fd s{socket(AF_INET, SOCK_DGRAM, 0)};
  sockaddr_in a = loopback(port);
  if (connect(s.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return "";
  while (msLeft(end) > 0) {
    send(s.fd, payload.data(), payload.size(), 0);
    pollfd p{s.fd, POLLIN, 0};
    int wait = std::min(msLeft(end), static_cast<int>(resend.count()));
    if (poll(&p, 1, wait) > 0) {
      char buf[65536];
      ssize_t n = recv(s.fd, buf, sizeof buf, 0);
      if (n > 0) return std::string(buf, static_cast<size_t>(n));
    }
  }
  return "";
}

TcpClient::TcpClient(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd_ >= 0 && connect(fd_, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr) != 0) close();
}

void TcpClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace gsp::test
