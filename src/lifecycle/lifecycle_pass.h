// One pass of gsp-lifecycle (ARCHITECTURE.md, "gsp-lifecycle"): asks the agent
// to reconcile the engine with the rows (repairs, orphans, a usage sample of
// every running server; orchestration/reconciler.h), charges the
// hours of RUNNING servers whose paid time ran out, puts to sleep those whose
// owner cannot pay the next hour and those nobody played on for their idle
// minutes, marks (or clears) users whose balance covers less than a few hours
// of their running servers, queues the daily backups that are due, and rolls
// up and prunes the stats history. It decides; the agent acts (a hibernate is a
// job, like any other). Two passes never run at once, on any host: a database
// named lock. Every step is idempotent, so a pass killed at any instant is
// completed by the next one.
// Not thread-safe; one per process.
#pragma once

#include <cstdint>
#include <string>

#include "core/config.h"
#include "db/database.h"
#include "orchestration/server_operations.h"

namespace gsp::lifecycle {

struct PassReport {
  bool ran = false;  // false: another pass held the lock
  int charged = 0;   // hours charged
  int out_of_credits = 0;
  int idle = 0;
  int warned = 0;    // users newly marked low on credit
  bool reconciled = false;  // the agent answered the reconcile
  orchestration::ReconcileReport reconcile;
  int daily_backups = 0;  // daily backups queued
  int rolled_up = 0;  // hours of samples rolled up
  int pruned = 0;     // old stats rows removed
  int sessions_purged = 0;  // expired sign-in sessions deleted
  int round_trips = 0;  // SQL statements this pass ran (the benchmark's figure)
};

class LifecyclePass {
 public:
  // `servers` queues the hibernates (AgentOperations in gsp-lifecycle).
  LifecyclePass(const Config& config, db::Database& db, orchestration::ServerOperations& servers);

  // One pass at `now` (unix seconds; tests set it to simulate hours).
  PassReport run(int64_t now);

 private:
  void charge(int64_t now, PassReport* report);
  void sleepIdle(int64_t now, PassReport* report);
  void warnLowCredit(PassReport* report);
  // The servers whose daily backup hour has come get a BACKUP job.
  void queueDailyBackups(int64_t now, PassReport* report);
  void reconcile(int64_t now, PassReport* report);
  // Whether the game's CPU, averaged over the samples of the last 5 minutes, is
  // above `threshold_percent`.
  bool busyCpu(int64_t server_id, int threshold_percent, int64_t now);

  const Config& config_;
  db::Database& db_;
  orchestration::ServerOperations& servers_;
};

}  // namespace gsp::lifecycle
