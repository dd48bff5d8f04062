#include "lifecycle/lifecycle_pass.h"

#include <vector>

#include "core/log.h"
#include "core/money.h"
#include "db/backup_repository.h"
#include "db/billing_repository.h"
#include "db/server_repository.h"
#include "db/session_repository.h"
#include "db/stats_repository.h"
#include "domain/billing.h"
#include "domain/idle.h"

namespace gsp::lifecycle {

namespace {

const char kLockName[] = "gsp-lifecycle";
// A pass catches up at most this many hours of one server (after a long outage of the timer).
const int kMaxHoursPerPass = 24;
// Old stats rows removed per pass and table: bounded, so no pass holds long
// locks; at one pass a minute it keeps up with far more samples than are written.
const int kPruneBatch = 5000;
// Wakes by traffic that ended with nobody having played, in a row, before
// such wakes pause (a port scanner's sweep), and for how long.
const int kPhantomWakesBeforePause = 3;
const int kTrafficWakePauseMinutes = 60;

}  // namespace

LifecyclePass::LifecyclePass(const Config& config, db::Database& db, orchestration::ServerOperations& servers)
    : config_(config), db_(db), servers_(servers) {}

PassReport LifecyclePass::run(int64_t now) {
  PassReport report;
  const uint64_t statements_before = db_.statementsRun();
  // Held by this connection: a pass that dies releases it with its connection.
  auto lock = db_.sql("SELECT GET_LOCK(?, 0)").arg(kLockName).rows();
  if (!lock->next() || lock->getInt(1) != 1) {
    log::info() << "another lifecycle pass is running; this one does nothing";
    return report;
  }
  report.ran = true;
  reconcile(now, &report);
  charge(now, &report);
  sleepIdle(now, &report);
  warnLowCredit(&report);
  queueDailyBackups(now, &report);
  db::StatsRepository stats(db_);
  report.rolled_up = stats.rollUp(now);
  report.pruned = stats.prune(now, kPruneBatch);
  // An expired session can no longer sign anyone in; its row is only a liability.
  report.sessions_purged = db::SessionRepository(db_).removeExpired(kPruneBatch);
  db_.sql("SELECT RELEASE_LOCK(?)").arg(kLockName).rows();
  report.round_trips = static_cast<int>(db_.statementsRun() - statements_before);
  return report;
}

void LifecyclePass::reconcile(int64_t now, PassReport* report) {
  Result<orchestration::ReconcileReport> r = servers_.reconcile(now);
  if (!r.isOk()) {
    // Nothing is judged on a missing answer; the next pass tries again.
    log::warn() << "reconcile skipped: " << r.status().message();
    return;
  }
  report->reconciled = true;
  report->reconcile = r.value();
}

void LifecyclePass::charge(int64_t now, PassReport* report) {
  db::BillingRepository billing(db_);
  for (const db::DueServer& due : billing.dueServers(now)) {
    for (int hour = 0; hour < kMaxHoursPerPass; ++hour) {
      int64_t start = 0;
      db::ChargeResult result = billing.chargeDueHour(due.server_id, now, &start);
      if (result == db::ChargeResult::kCharged) {
        ++report->charged;
        if (start + domain::kBilledPeriodSeconds > now) break;  // paid ahead again
        continue;  // more hours are due (the timer was down for a while)
      }
      if (result == db::ChargeResult::kCannotPay) {
        ++report->out_of_credits;
        Status queued = servers_.hibernate(due.server_id, {0, "slept: out of credits"});
        log::info() << "server " << due.server_id << ": the owner cannot pay the next hour; "
                    << (queued.isOk() ? "putting it to sleep" : "could not queue its sleep: " + queued.message());
      }
      break;
    }
  }
}

void LifecyclePass::sleepIdle(int64_t now, PassReport* report) {
  auto rs = db_.sql("SELECT s.id, s.live_tcp_connections + s.live_udp_sessions, "
                    "COALESCE(FLOOR(UNIX_TIMESTAMP(s.last_activity_at)), 0), "
                    "COALESCE(FLOOR(UNIX_TIMESTAMP(s.running_since)), 0), "
                    "COALESCE(FLOOR(UNIX_TIMESTAMP(s.keep_awake_until)), 0), g.idle_minutes, g.cpu_awake_percent "
                    "FROM servers s JOIN game_images g ON g.id = s.game_image_id "
                    "WHERE s.state = 'RUNNING' AND s.deleted_at IS NULL "
                    "AND s.live_tcp_connections + s.live_udp_sessions = 0")
                .rows();
  struct Candidate {
    int64_t id;
    domain::IdleFacts facts;
    int cpu_awake_percent;
  };
  std::vector<Candidate> candidates;
  while (rs->next()) {
    domain::IdleFacts facts;
    facts.players = rs->getInt(2);
    facts.last_activity = rs->getInt64(3);
    facts.running_since = rs->getInt64(4);
    facts.keep_awake_until = rs->getInt64(5);
    facts.idle_minutes = rs->getInt(6);
    candidates.push_back({rs->getInt64(1), facts, rs->getInt(7)});
  }
  rs.reset();
  for (const Candidate& c : candidates) {
    if (c.cpu_awake_percent > 0 && busyCpu(c.id, c.cpu_awake_percent, now)) continue;
    int64_t at = domain::idleSleepAt(c.facts);
    if (at < 0 || at > now) continue;
    const int64_t id = c.id;
    const domain::IdleFacts& facts = c.facts;
    std::string cause = "slept: nobody played for " + std::to_string(facts.idle_minutes) + " min";
    db::ServerRepository(db_).notePhantomWake(id, kPhantomWakesBeforePause, kTrafficWakePauseMinutes);
    Status queued = servers_.hibernate(id, {0, cause});
    if (queued.isOk()) ++report->idle;
    log::info() << "server " << id << ": " << (queued.isOk() ? cause : "could not queue its sleep: " + queued.message());
  }
}

bool LifecyclePass::busyCpu(int64_t server_id, int threshold_percent, int64_t now) {
  // The agent's reconcile at the start of this pass stored the latest sample.
  auto avg = db_.sql("SELECT AVG(cpu_percent) FROM stats_samples WHERE server_id = ? AND sampled_at > FROM_UNIXTIME(?) "
                     "AND sampled_at <= FROM_UNIXTIME(?)")
                 .arg(server_id).arg(now - 300).arg(now).rows();
  double cpu = avg->next() && !avg->isNull(1) ? avg->getDouble(1) : 0;
  if (cpu > threshold_percent)
    log::info() << "server " << server_id << ": nobody plays, but its CPU averages " << cpu << " % over 5 min: it stays up";
  return cpu > threshold_percent;
}

void LifecyclePass::queueDailyBackups(int64_t now, PassReport* report) {
  db::BackupRepository backups(db_);
  for (int64_t server_id : backups.dailyDue(now)) {
    if (backups.anyInProgress(server_id)) continue;  // the next pass asks again
    int64_t id = backups.create(server_id, "DAILY", 0);
    Status queued = servers_.backUp(server_id, id, {0, "the daily backup"});
    if (queued.isOk()) {
      ++report->daily_backups;
    } else {
      backups.fail(id, queued.message());
    }
  }
}

void LifecyclePass::warnLowCredit(PassReport* report) {
  db::BillingRepository billing(db_);
  for (const db::RunningCost& c : billing.runningCosts()) {
    bool low = c.cents_per_hour > 0 &&
               domain::hoursCovered(c.balance_cents, c.cents_per_hour) < config_.lifecycle_low_credit_hours;
    if (low == c.warned) continue;
    if (!billing.markLowCredit(c.user_id, low) || !low) continue;
    ++report->warned;
    // The history of each server that will sleep when the money runs out.
    db_.sql("INSERT INTO server_events (server_id, from_state, to_state, cause) "
            "SELECT id, state, state, ? FROM servers WHERE user_id = ? AND state = 'RUNNING' AND deleted_at IS NULL")
        .arg("low credit: " + money::format(c.balance_cents) + " pays about " +
             std::to_string(domain::hoursCovered(c.balance_cents, c.cents_per_hour)) + " more hour(s) of running servers")
        .arg(c.user_id).update();
  }
}

}  // namespace gsp::lifecycle
