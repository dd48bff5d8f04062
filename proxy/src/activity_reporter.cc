#include "activity_reporter.h"

#include <ctime>

#include "core/log.h"
#include "upstream_waker.h"
#include "webhook_request.h"

namespace gsp::proxy {

namespace {

// Long enough for a port scan's connect or a server-list ping to be gone.
constexpr int64_t kJoinSettleMs = 1000;

}  // namespace

ActivityReporter::ActivityReporter(ProxyContext& ctx, BackendClient& backend) : ctx_(ctx), backend_(backend) {}

void ActivityReporter::start() { armInterval(); }

void ActivityReporter::armInterval() {
  interval_timer_.start(ctx_.config.activity_interval_ms, [this] {
    send("interval");
    armInterval();
  });
}

void ActivityReporter::onClientGone() {
  if (ctx_.stats.liveClients() != 0 || idle_report_scheduled_) return;
  // Deferred: a burst of closes in one dispatch makes one report.
  idle_report_scheduled_ = true;
  ctx_.loop.defer([this] {
    idle_report_scheduled_ = false;
    if (ctx_.stats.liveClients() == 0) send("last-client-left");
  });
}

void ActivityReporter::onPlayerJoined() {
  if (reported_players_ != 0 || join_timer_.pending()) return;
  join_timer_.start(kJoinSettleMs, [this] {
    if (reported_players_ == 0 && ctx_.stats.players() > 0) send("player-joined");
  });
}

void ActivityReporter::send(const std::string& reason) {
  if (in_flight_) {
    queued_reason_ = reason;
    return;
  }
  const ProxyStats& s = ctx_.stats;
  ActivityReport r;
  r.server_id = ctx_.config.server_id;
  r.tcp_connections = s.tcpPlayers();
  r.udp_sessions = s.udp_players;
  r.held_clients = s.held_clients;
  r.bytes_from_clients = s.bytes_from_clients - base_from_;
  r.bytes_to_clients = s.bytes_to_clients - base_to_;
  r.dropped_datagrams = s.dropped_datagrams - base_dropped_;
  r.upstream_up = ctx_.waker->upstreamUp();
  r.reason = reason;
  int64_t now_unix = time(nullptr);
  if (s.last_traffic_ms > 0)
    r.last_traffic_unix = now_unix - (EventLoop::monotonicMs() - s.last_traffic_ms) / 1000;
  int64_t from = s.bytes_from_clients, to = s.bytes_to_clients, dropped = s.dropped_datagrams;
  const int64_t players = s.players();
  in_flight_ = true;
  backend_.post(ctx_.config.activity_url, activityBody(r, now_unix),
                [this, from, to, dropped, players](int status, const std::string& error) {
                  in_flight_ = false;
                  if (status >= 200 && status < 300) {
                    reported_players_ = players;
                    base_from_ = from;
                    base_to_ = to;
                    base_dropped_ = dropped;
                    ++accepted_;
                  } else {
                    log::warn() << "activity report not accepted ("
                                << (status ? "HTTP " + std::to_string(status) : error)
                                << "); its counts go into the next one";
                  }
                  if (!queued_reason_.empty()) {
                    std::string reason = std::move(queued_reason_);
                    queued_reason_.clear();
                    send(reason);
                  }
                });
}

}  // namespace gsp::proxy
