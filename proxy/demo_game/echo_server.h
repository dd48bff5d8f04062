// EchoServer: the demo game's "gameplay" - every TCP byte is echoed back on
// its connection and every UDP datagram is answered with the same bytes. A
// line is logged per TCP client join and leave and per new UDP client.
// Bounded memory: a client that does not read its echo stops being read.
// Owns its sockets and connections. Loop thread only.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "event_loop.h"
#include "save_file.h"
#include "socket_address.h"

namespace gsp::demo {

using proxy::EventLoop;
using proxy::IoHandler;
using proxy::SocketAddress;
using proxy::UniqueFd;

class EchoServer : public IoHandler {
 public:
  EchoServer(EventLoop& loop, SaveState& state);
  ~EchoServer() override;

  Status listenTcp(const SocketAddress& addr);
  Status bindUdp(const SocketAddress& addr);
  void onIo(uint32_t events) override;  // TCP accept

 private:
  class Connection;
  class UdpSocket;
  void closed(Connection* c);

  EventLoop& loop_;
  SaveState& state_;
  UniqueFd listen_fd_;
  std::unique_ptr<UdpSocket> udp_;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::vector<char> buffer_;
};

}  // namespace gsp::demo
