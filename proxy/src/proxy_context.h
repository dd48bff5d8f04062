// ProxyContext: what every listener and session of gsp-proxy shares - the
// loop, the configuration, the counters, the waker and a scratch buffer for
// copying. Owned by Proxy, outlives every session. Loop thread only.
#pragma once

#include <functional>

#include "event_loop.h"
#include "proxy_config.h"
#include "proxy_stats.h"
#include "scratch_buffer.h"
#include "upstream_waker.h"

namespace gsp::proxy {

struct ProxyContext {
  EventLoop& loop;
  const ProxyConfig& config;
  ProxyStats& stats;
  UpstreamWaker& waker;
  ScratchBuffer scratch;                 // transient: never holds data across events
  std::function<void()> on_client_gone;  // after a TCP client or UDP session ends

  void noteTraffic() { stats.last_traffic_ms = loop.nowMs(); }
};

}  // namespace gsp::proxy
