// Proxy: gsp-proxy assembled. The control loop (the caller's) runs the waker,
// the backend client, the activity reporter, the UDP ports and a TCP listener
// per port; --workers - 1 TcpWorkers add loops that accept and relay TCP on
// their own threads while the game runs. Owns all of them. Call from the
// control loop's thread; stops (joins) the workers on destruction.
#pragma once

#include <memory>
#include <vector>

#include "activity_reporter.h"
#include "backend_client.h"
#include "proxy_context.h"
#include "resolver.h"
#include "tcp_listener.h"
#include "tcp_worker.h"
#include "udp_port.h"
#include "upstream_view.h"
#include "upstream_waker.h"

namespace gsp::proxy {

class Proxy {
 public:
  Proxy(EventLoop& loop, const ProxyConfig& config);
  ~Proxy();

  // Binds every public port and starts the workers; the first failure is returned.
  Status start();

  const ProxyStats& stats() const { return stats_; }

  // The backend stopped the game (SIGUSR2): forget that it accepts, so the
  // next client wakes it at once instead of first waiting out a connect timeout.
  void upstreamStopped() { waker_.reportFailure(); }
  // The backend started the game: watch for it to accept, as long as a hold may last.
  void upstreamStarting() { waker_.watchStart(std::max<int64_t>(config_.hold_timeout_ms, 600000)); }

 private:
  // A client a worker handed over: held here, on the control loop.
  void adopt(TcpHandOff handoff);

  EventLoop& loop_;
  const ProxyConfig& config_;
  ProxyStats stats_;
  UpstreamView view_;
  Resolver resolver_;
  BackendClient backend_;
  UpstreamWaker waker_;
  HoldBudget hold_budget_;
  ProxyContext ctx_;
  ActivityReporter activity_;
  std::vector<std::unique_ptr<TcpListener>> tcp_;
  std::vector<std::unique_ptr<UdpPort>> udp_;
  std::vector<std::unique_ptr<TcpWorker>> workers_;
};

}  // namespace gsp::proxy
