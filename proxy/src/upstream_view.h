// UpstreamView: what every loop may read about the game - whether it accepts,
// at which address, and whether a wake is in progress. Written by the
// UpstreamWaker on the control loop, read by the TCP worker loops on each
// accept. Thread-safe (a mutex; uncontended reads cost tens of nanoseconds).
#pragma once

#include <mutex>

#include "socket_address.h"

namespace gsp::proxy {

class UpstreamView {
 public:
  void set(bool up, bool waking, const SocketAddress& address) {
    std::lock_guard<std::mutex> lock(mu_);
    up_ = up;
    waking_ = waking;
    address_ = address;
  }
  // True, with the game's address (port 0), while it accepts.
  bool up(SocketAddress* address) const {
    std::lock_guard<std::mutex> lock(mu_);
    if (up_) *address = address_;
    return up_;
  }
  bool waking() const {
    std::lock_guard<std::mutex> lock(mu_);
    return waking_;
  }

 private:
  mutable std::mutex mu_;
  bool up_ = false;         // guarded by mu_
  bool waking_ = false;     // guarded by mu_
  SocketAddress address_;   // guarded by mu_
};

}  // namespace gsp::proxy
