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
      waker_(loop, resolver_, backend_, config, stats_, view_),
      hold_budget_(config.hold_budget_bytes),
      ctx_{loop,    config,  stats_, view_, &waker_, &hold_budget_, ScratchBuffer(scratchSize(config)),
           nullptr, nullptr, nullptr, nullptr},
      activity_(ctx_, backend_) {
  ctx_.on_client_gone = [this] { activity_.onClientGone(); };
  ctx_.on_player_joined = [this] { activity_.onPlayerJoined(); };
  // The backend marks a waking server RUNNING when it hears the game accepts.
  waker_.setOnUp([this] { activity_.reportNow("upstream-up"); });
}

Proxy::~Proxy() {
  // Workers first (their callbacks post here), then the sessions, which talk
  // to the waker and the reporter as they go.
  workers_.clear();
  tcp_.clear();
  udp_.clear();
}

Status Proxy::start() {
  const bool shared = config_.workers > 1;
  for (const auto& m : config_.ports) {
    if (m.protocol == Protocol::kTcp) {
      auto l = std::make_unique<TcpListener>(ctx_, m);
      Status s = l->listen(config_.listen_address, shared);
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
  if (!tcp_.empty()) {
    for (int i = 1; i < config_.workers; ++i) {
      // These run on the worker's thread: everything they touch here goes through post().
      auto worker = std::make_unique<TcpWorker>(
          config_, stats_, view_,
          [this] {
            if (stats_.liveClients() == 0) loop_.post([this] { activity_.onClientGone(); });
          },
          [this] { loop_.post([this] { activity_.onPlayerJoined(); }); },
          [this](TcpHandOff h) { loop_.post([this, h] { adopt(h); }); },
          [this] { loop_.post([this] { waker_.reportFailure(); }); });
      Status s = worker->listen();
      if (!s.isOk()) return s;
      worker->start();
      workers_.push_back(std::move(worker));
    }
  }
  waker_.checkWithoutWaking();
  activity_.start();
  return Status::ok();
}

void Proxy::adopt(TcpHandOff h) {
  for (auto& l : tcp_) {
    if (l->mapping().public_port == h.mapping.public_port) return l->adopt(std::move(h));
  }
  UniqueFd orphan(h.fd);  // cannot happen: every worker port has a control listener
  stats_.tcp_connections--;
}

}  // namespace gsp::proxy
