#include "tcp_worker.h"

namespace gsp::proxy {

TcpWorker::TcpWorker(const ProxyConfig& config, ProxyStats& stats, UpstreamView& view,
                     std::function<void()> on_client_gone, std::function<void()> on_player_joined,
                     std::function<void(TcpHandOff)> hand_off, std::function<void()> report_failure)
    : ctx_{loop_,
           config,
           stats,
           view,
           nullptr,
           nullptr,
           ScratchBuffer(256 * 1024),
           std::move(on_client_gone),
           std::move(on_player_joined),
           std::move(hand_off),
           std::move(report_failure)} {}

TcpWorker::~TcpWorker() { stop(); }

Status TcpWorker::listen() {
  for (const auto& m : ctx_.config.ports) {
    if (m.protocol != Protocol::kTcp) continue;
    auto l = std::make_unique<TcpListener>(ctx_, m);
    Status s = l->listen(ctx_.config.listen_address, /*shared=*/true);
    if (!s.isOk()) return s;
    listeners_.push_back(std::move(l));
  }
  return Status::ok();
}

void TcpWorker::start() {
  thread_ = std::thread([this] { loop_.run(); });
}

void TcpWorker::stop() {
  if (!thread_.joinable()) return;
  loop_.post([this] { loop_.stop(); });
  thread_.join();
  listeners_.clear();
}

}  // namespace gsp::proxy
