// Hourly charging (ARCHITECTURE.md, "Billing and sleep"): a RUNNING server is
// paid one hour ahead. Each charge is one HOURLY_CHARGE ledger row keyed by
// (server, period start), written with the balance and the server's paid_until
// in one transaction under row locks: a rerun, a race between processes or a
// second host never charges twice, a pass killed half-way leaves nothing
// half-written, and a balance never goes negative. The rule of which hour is
// due is domain::hourToCharge. Used by gsp-web (the charge when a server
// becomes RUNNING) and gsp-lifecycle (each hour after).
// Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"

namespace gsp::db {

enum class ChargeResult {
  kNotDue,     // paid, or not RUNNING
  kCharged,    // one hour charged (or found charged already by another process)
  kCannotPay,  // the owner's balance does not cover the hour: nothing was written
};

struct DueServer {
  int64_t server_id = 0;
  int64_t user_id = 0;
};

// A user's running servers against their balance, for the low-credit warning.
struct RunningCost {
  int64_t user_id = 0;
  int64_t balance_cents = 0;
  int64_t cents_per_hour = 0;  // all their RUNNING servers together
  bool warned = false;         // users.low_credit_since is set
};

class BillingRepository {
 public:
  explicit BillingRepository(Database& db) : db_(db) {}

  // Charges the hour due at `now` (unix seconds) for a RUNNING server, if any.
  // `period_start` receives the charged hour's start.
  ChargeResult chargeDueHour(int64_t server_id, int64_t now, int64_t* period_start = nullptr);

  // RUNNING servers whose paid time ran out by `now`, in the order they are
  // charged: by user, then by server id (so which server of a user sleeps
  // first when the money runs out is predictable). One query.
  std::vector<DueServer> dueServers(int64_t now);

  // Users with RUNNING servers, and those still marked warned. One query.
  std::vector<RunningCost> runningCosts();
  // Sets (or clears) the low-credit mark; true when it changed.
  bool markLowCredit(int64_t user_id, bool low);

 private:
  Database& db_;
};

}  // namespace gsp::db
