// MinecraftGreeter: what gsp-proxy says to a Minecraft client while the game
// does not run. Fed the client's bytes (all of them, from the first), it
// answers a Server List Ping itself and tells the session when a login (or
// transfer) begins, which is what wakes the game. Status pings never wake it.
// Single-threaded; one per client connection.
#pragma once

#include <string>

#include "minecraft_codec.h"

namespace gsp::proxy {

class MinecraftGreeter {
 public:
  enum class Action {
    kNeedMore,       // wait for more bytes
    kReply,          // send `reply`, keep reading
    kReplyAndClose,  // send `reply`, then close
    kLogin,          // a login: hold/relay the connection, replaying every byte
    kClose,          // malformed or unsupported: close without a reply
  };
  struct Step {
    Action action = Action::kNeedMore;
    std::string reply;
  };

  // `motd`: the server-list text to show (sleeping or starting).
  explicit MinecraftGreeter(std::string motd) : motd_(std::move(motd)) {}

  // `received`: every byte the client sent so far (the greeter remembers how
  // far it has read). Call again after each read and after each kReply.
  Step feed(const std::string& received);

  const minecraft::Handshake& handshake() const { return handshake_; }

 private:
  enum class Phase { kHandshake, kStatusRequest, kPing, kDone };

  std::string motd_;
  Phase phase_ = Phase::kHandshake;
  size_t offset_ = 0;
  minecraft::Handshake handshake_;
};

}  // namespace gsp::proxy
