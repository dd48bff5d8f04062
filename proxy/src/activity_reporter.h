// ActivityReporter: sends the signed activity report every
// --activity-interval, soon after the last client leaves and soon after a
// player arrives at a server last reported empty, so the backend can tell an
// idle server from a busy one (and never sleeps one a player just joined).
// Byte and drop counts are the difference since the last report the backend
// accepted, so a backend that was down loses nothing. One report in flight at a
// time; never blocks relaying.
// Loop thread only.
#pragma once

#include <string>

#include "backend_client.h"
#include "proxy_context.h"

namespace gsp::proxy {

class ActivityReporter {
 public:
  ActivityReporter(ProxyContext& ctx, BackendClient& backend);

  void start();
  // After any client leaves: reports once the proxy has no client left.
  void onClientGone();
  // After a TCP client connects or a UDP session counts as a player: when the
  // last report said nobody, reports once the client is still there a moment
  // later (a scanner's connect is gone by then).
  void onPlayerJoined();
  // Reports now (queued behind a report in flight), e.g. "upstream-up".
  void reportNow(const std::string& reason) { send(reason); }

  int64_t reportsAccepted() const { return accepted_; }

 private:
  void send(const std::string& reason);
  void armInterval();

  ProxyContext& ctx_;
  BackendClient& backend_;
  LoopTimer interval_timer_{ctx_.loop};
  LoopTimer join_timer_{ctx_.loop};
  int64_t reported_players_ = 0;  // players in the last report the backend accepted
  bool in_flight_ = false;
  std::string queued_reason_;   // a report asked for while one was in flight
  bool idle_report_scheduled_ = false;
  int64_t accepted_ = 0;
  // Totals at the last accepted report.
  int64_t base_from_ = 0, base_to_ = 0, base_dropped_ = 0;
};

}  // namespace gsp::proxy
