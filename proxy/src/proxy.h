// Proxy: gsp-proxy assembled - the listeners of every configured port, the
// waker, the backend client and the activity reporter, on one event loop.
// Owns all of them. Loop thread only (stop() from a signal handler goes
// through the signalfd in main).
#pragma once

#include <memory>
#include <vector>

#include "activity_reporter.h"
#include "backend_client.h"
#include "proxy_context.h"
#include "resolver.h"
#include "tcp_listener.h"
#include "udp_port.h"
#include "upstream_waker.h"

namespace gsp::proxy {

class Proxy {
 public:
  Proxy(EventLoop& loop, const ProxyConfig& config);
  ~Proxy();

  // Binds every public port; the first failure is returned.
  Status start();

  const ProxyStats& stats() const { return stats_; }

 private:
  EventLoop& loop_;
  const ProxyConfig& config_;
  ProxyStats stats_;
  Resolver resolver_;
  BackendClient backend_;
  UpstreamWaker waker_;
  ProxyContext ctx_;
  ActivityReporter activity_;
  std::vector<std::unique_ptr<TcpListener>> tcp_;
  std::vector<std::unique_ptr<UdpPort>> udp_;
};

}  // namespace gsp::proxy
