// UpstreamProbe: one readiness check of the game on one port. TCP: a
// non-blocking connect that must complete. UDP: an empty datagram on a
// connected socket; an ICMP port-unreachable (ECONNREFUSED) within the probe
// window means "not listening yet", silence means ready.
// Single-threaded; the owner keeps it alive until `done` has run.
#pragma once

#include <functional>

#include "event_loop.h"
#include "proxy_config.h"
#include "socket_address.h"

namespace gsp::proxy {

class UpstreamProbe : public IoHandler {
 public:
  using Done = std::function<void(bool ready)>;

  UpstreamProbe(EventLoop& loop, Protocol protocol, const SocketAddress& address, int64_t window_ms,
                Done done);
  UpstreamProbe(const UpstreamProbe&) = delete;
  UpstreamProbe& operator=(const UpstreamProbe&) = delete;

  void onIo(uint32_t events) override;

 private:
  void finish(bool ready);

  EventLoop& loop_;
  Protocol protocol_;
  Done done_;
  UniqueFd fd_;
  LoopTimer timer_{loop_};
  bool finished_ = false;
};

}  // namespace gsp::proxy
