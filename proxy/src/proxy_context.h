// ProxyContext: what the listeners and sessions of one event loop share - the
// loop, the configuration, the counters, the view of the game and a scratch
// buffer for copying. The control loop's context also has the waker; a TCP
// worker loop's has none and hands clients that must wait over to the
// control loop instead. One per loop, outliving its sessions; used on that
// loop's thread only (stats and view are thread-safe themselves).
#pragma once

#include <functional>
#include <string>

#include "event_loop.h"
#include "hold_budget.h"
#include "proxy_config.h"
#include "proxy_stats.h"
#include "scratch_buffer.h"
#include "upstream_view.h"

namespace gsp::proxy {

class UpstreamWaker;

// A TCP client moving from a worker loop to the control loop (to be held).
struct TcpHandOff {
  int fd = -1;              // ownership moves with the hand-off
  SocketAddress peer;
  PortMapping mapping;
  std::string held;         // bytes already read from the client
  bool client_eof = false;
  int connect_attempts = 0;
};

struct ProxyContext {
  EventLoop& loop;
  const ProxyConfig& config;
  ProxyStats& stats;
  UpstreamView& view;
  UpstreamWaker* waker;                  // control loop only; null on worker loops
  HoldBudget* hold_budget;               // control loop only (held clients live there); null on worker loops
  ScratchBuffer scratch;                 // transient: never holds data across events
  std::function<void()> on_client_gone;  // after a TCP client or UDP session ends
  std::function<void()> on_player_joined;  // after a TCP client connects or a UDP session counts as a player
  // Worker loops only: give a client to the control loop; report a refused connect.
  std::function<void(TcpHandOff)> hand_off;
  std::function<void()> report_failure;

  void noteTraffic() { stats.last_traffic_ms = loop.nowMs(); }
};

}  // namespace gsp::proxy
