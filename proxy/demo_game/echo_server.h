// EchoServer: the demo game's "gameplay" - every TCP byte is echoed back on
// its connection and every UDP datagram is answered with the same bytes. A
// line is logged per TCP client join and leave and per new UDP client.
// Optionally it answers a real game's server query as that game would: Steam
// A2S on a port of its own, or Satisfactory's poll on the UDP port (a poll is
// answered, not echoed, and is no player); one debug line per answer.
// Bounded memory: a client that does not read its echo stops being read.
// Owns its sockets and connections. Loop thread only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "a2s_codec.h"
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
  // Answers A2S info (always `info`), players (none) and rules (none) on `addr`.
  Status bindA2s(const SocketAddress& addr, const proxy::A2sInfo& info);
  // From now on a Satisfactory poll on the UDP port gets the state "playing"
  // under `name`, with build number `net_cl`.
  void answerSatisfactoryPolls(const std::string& name, uint32_t net_cl);
  void onIo(uint32_t events) override;  // TCP accept

 private:
  class Connection;
  class UdpSocket;
  class A2sPort;
  struct SatisfactoryAnswer {
    std::string name;
    uint32_t net_cl = 0;
  };
  void closed(Connection* c);

  EventLoop& loop_;
  SaveState& state_;
  UniqueFd listen_fd_;
  std::unique_ptr<UdpSocket> udp_;
  std::unique_ptr<A2sPort> a2s_;
  std::optional<SatisfactoryAnswer> satisfactory_;  // none: every datagram is echoed
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::vector<char> buffer_;
};

}  // namespace gsp::demo
