// QueryResponder: answers server-browser queries on one public UDP port while
// the game is not up, so a sleeping server shows in the game's browser as
// "<name> - sleeping, join to wake" (or "- starting...") with 0 players, and a
// query never wakes it. Steam A2S (Valheim's query port: INFO with the
// challenge handshake current clients use, empty PLAYER and RULES answers) or
// Satisfactory's lightweight "poll server state" (state Offline while asleep,
// Loading while starting). Anything that is not a well-formed query of the
// port's protocol is left to the relay. Loop thread only.
#pragma once

#include <cstdint>
#include <string>

#include "a2s_codec.h"
#include "proxy_config.h"
#include "socket_address.h"

namespace gsp::proxy {

class QueryResponder {
 public:
  explicit QueryResponder(const ProxyConfig& config);

  // True with the answer in *reply when `data` is a query of this port's
  // protocol (a challenge is an answer too); `starting`: the game is waking.
  bool answer(const char* data, size_t len, const SocketAddress& from, bool starting, std::string* reply);

 private:
  std::string shownName(bool starting) const;

  const ProxyConfig& config_;
  // A2S challenges (a2sChallenge): a keyed hash of the client's address and
  // a 30 s period, so nothing is stored per client and a spoofed source gets
  // no INFO answer bigger than its request (no amplification).
  SipHashKey secret_{};
};

}  // namespace gsp::proxy
