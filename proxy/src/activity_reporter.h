// ActivityReporter: sends the signed activity report every
// --activity-interval and soon after the last client leaves, so the backend
// can tell an idle server from a busy one. Byte and drop counts are the
// difference since the last report the backend accepted, so a backend that
// was down loses nothing. One report in flight at a time; never blocks relaying.
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
  // Reports now (queued behind a report in flight), e.g. "upstream-up".
  void reportNow(const std::string& reason) { send(reason); }

  int64_t reportsAccepted() const { return accepted_; }

 private:
  void send(const std::string& reason);
  void armInterval();

  ProxyContext& ctx_;
  BackendClient& backend_;
  LoopTimer interval_timer_{ctx_.loop};
  bool in_flight_ = false;
  std::string queued_reason_;   // a report asked for while one was in flight
  bool idle_report_scheduled_ = false;
  int64_t accepted_ = 0;
  // Totals at the last accepted report.
  int64_t base_from_ = 0, base_to_ = 0, base_dropped_ = 0;
};

}  // namespace gsp::proxy
