// The ledger (table `transactions`): every change of a user's balance is one
// row, and users.credits_cents is kept equal to the sum of the rows by writing
// both in one database transaction under a row lock on the user.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"

namespace gsp::db {

enum class EntryType { kDeposit, kSignupCredit, kHourlyCharge, kRefund, kAdjustment };
const char* entryTypeName(EntryType type);  // "DEPOSIT", ...

struct LedgerEntry {
  int64_t id = 0;
  int64_t amount_cents = 0;
  int64_t balance_after_cents = 0;
  std::string type;
  std::string description;
  std::string created_at;  // "YYYY-MM-DD HH:MM:SS" UTC
};

struct DepositOutcome {
  bool applied = false;  // false: this idempotency key was already used
  int64_t balance_cents = 0;
};

class LedgerRepository {
 public:
  explicit LedgerRepository(Database& db) : db_(db) {}

  // A DEPOSIT and the new balance, atomically. `idempotency_key` (from the
  // form) makes a resubmitted or retried request count once.
  DepositOutcome deposit(int64_t user_id, int64_t cents, const std::string& idempotency_key);

  // Appends one entry inside the caller's open transaction; returns the new balance.
  // An empty `idempotency_key` is stored as NULL.
  int64_t appendInTransaction(int64_t user_id, int64_t cents, EntryType type,
                              const std::string& description, const std::string& idempotency_key);

  struct Page {
    std::vector<LedgerEntry> entries;  // newest first
    int64_t total = 0;                 // entries of the user in all pages
  };
  // The rows of one page and the total (two index-only queries: measured faster
  // here than one query with COUNT(*) OVER (), which reads and sorts every row).
  Page page(int64_t user_id, int offset, int limit);
  int64_t count(int64_t user_id);
  int64_t balance(int64_t user_id);
  int64_t sumOfEntries(int64_t user_id);
  // The user's hourly charges since `since_unix`, one row per server and day
  // (newest day first, then by server name): hours and what they cost.
  struct DailyCharge {
    std::string day;  // "2026-11-30"
    std::string server_name;
    int hours = 0;
    int64_t cents = 0;
  };
  std::vector<DailyCharge> chargesByServerAndDay(int64_t user_id, int64_t since_unix);

  // One server's hourly charges since `since_unix`, one row per UTC day that
  // has any (oldest first).
  struct ServerDay {
    int64_t day_unix = 0;  // 00:00 UTC of the day
    int hours = 0;
    int64_t cents = 0;
  };
  std::vector<ServerDay> serverChargesByDay(int64_t server_id, int64_t since_unix);

  // What the server's hours cost since `since_unix` (a positive number of cents).
  int64_t chargesForServerSince(int64_t server_id, int64_t since_unix);

 private:
  Database& db_;
};

}  // namespace gsp::db
