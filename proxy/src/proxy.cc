#include "proxy.h"

#include <algorithm>

#include "core/log.h"

namespace gsp::proxy {

namespace {
size_t scratchSize(const ProxyConfig& c) {
  return std::max<size_t>(256 * 1024, static_cast<size_t>(DatagramBatch::kCapacity) * (c.udp_max_datagram + 1));
}
}  // namespace

Proxy::Proxy(EventLoop& loop, const ProxyConfig& config)
    : loop_(loop),
      config_(config),
      resolver_(loop),
      backend_(loop, resolver_, config),
      waker_(loop, resolver_, backend_, config, stats_),
      ctx_{loop, config, stats_, waker_, ScratchBuffer(scratchSize(config)), nullptr},
      activity_(ctx_, backend_) {
  ctx_.on_client_gone = [this] { activity_.onClientGone(); };
}

Proxy::~Proxy() {
  // Sessions talk to the waker and the reporter as they go: drop them first.
  tcp_.clear();
  udp_.clear();
}

Status Proxy::start() {
  for (const auto& m : config_.ports) {
    if (m.protocol == Protocol::kTcp) {
      auto l = std::make_unique<TcpListener>(ctx_, m);
      Status s = l->listen(config_.listen_address);
      if (!s.isOk()) return s;
      tcp_.push_back(std::move(l));
    } else {
      auto u = std::make_unique<UdpPort>(ctx_, m);
      Status s = u->bind(config_.listen_address);
      if (!s.isOk()) return s;
      udp_.push_back(std::move(u));
    }
    log::info() << "listening on " << protocolName(m.protocol) << " " << config_.listen_address << ":"
                << m.public_port << " -> " << config_.upstream_host << ":" << m.upstream_port;
  }
  waker_.checkWithoutWaking();
  activity_.start();
  return Status::ok();
}

}  // namespace gsp::proxy
