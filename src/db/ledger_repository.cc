#include "db/ledger_repository.h"

namespace gsp::db {

const char* entryTypeName(EntryType type) {
  switch (type) {
    case EntryType::kDeposit: return "DEPOSIT";
    case EntryType::kSignupCredit: return "SIGNUP_CREDIT";
    case EntryType::kHourlyCharge: return "HOURLY_CHARGE";
    case EntryType::kRefund: return "REFUND";
    case EntryType::kAdjustment: return "ADJUSTMENT";
  }
  return "ADJUSTMENT";
}

int64_t LedgerRepository::appendInTransaction(int64_t user_id, int64_t cents, EntryType type,
                                              const std::string& description,
                                              const std::string& idempotency_key) {
  // The row lock serialises concurrent changes to one user's balance.
  auto rs = db_.sql("SELECT credits_cents FROM users WHERE id = ? FOR UPDATE").arg(user_id).rows();
  if (!rs->next()) throw std::runtime_error("ledger: no user " + std::to_string(user_id));
  int64_t balance = rs->getInt64(1) + cents;
  Query insert = db_.sql("INSERT INTO transactions (user_id, amount_cents, balance_after_cents, type, description, idempotency_key) "
                         "VALUES (?, ?, ?, ?, ?, ?)");
  insert.arg(user_id).arg(cents).arg(balance).arg(entryTypeName(type)).arg(description);
  if (idempotency_key.empty()) insert.argNull(); else insert.arg(idempotency_key);
  insert.update();
  db_.sql("UPDATE users SET credits_cents = ? WHERE id = ?").arg(balance).arg(user_id).update();
  return balance;
}

std::vector<LedgerRepository::DailyCharge> LedgerRepository::chargesByServerAndDay(int64_t user_id, int64_t since_unix) {
  auto rs = db_.sql("SELECT DATE_FORMAT(t.period_start, '%Y-%m-%d') AS day, s.name, COUNT(*), -SUM(t.amount_cents) "
                    "FROM transactions t JOIN servers s ON s.id = t.server_id "
                    "WHERE t.user_id = ? AND t.type = 'HOURLY_CHARGE' AND t.period_start >= FROM_UNIXTIME(?) "
                    "GROUP BY day, s.id, s.name ORDER BY day DESC, s.name")
                .arg(user_id).arg(since_unix).rows();
  std::vector<DailyCharge> out;
  while (rs->next()) out.push_back({rs->getString(1), rs->getString(2), rs->getInt(3), rs->getInt64(4)});
  return out;
}

std::vector<LedgerRepository::ServerDay> LedgerRepository::serverChargesByDay(int64_t server_id, int64_t since_unix) {
  auto rs = db_.sql("SELECT UNIX_TIMESTAMP(DATE(period_start)) AS day, COUNT(*), -SUM(amount_cents) FROM transactions "
                    "WHERE server_id = ? AND type = 'HOURLY_CHARGE' AND period_start >= FROM_UNIXTIME(?) "
                    "GROUP BY day ORDER BY day")
                .arg(server_id).arg(since_unix).rows();
  std::vector<ServerDay> out;
  while (rs->next()) out.push_back({rs->getInt64(1), rs->getInt(2), rs->getInt64(3)});
  return out;
}

int64_t LedgerRepository::chargesForServerSince(int64_t server_id, int64_t since_unix) {
  auto rs = db_.sql("SELECT COALESCE(-SUM(amount_cents), 0) FROM transactions "
                    "WHERE server_id = ? AND type = 'HOURLY_CHARGE' AND period_start >= FROM_UNIXTIME(?)")
                .arg(server_id).arg(since_unix).rows();
  return rs->next() ? rs->getInt64(1) : 0;
}

DepositOutcome LedgerRepository::deposit(int64_t user_id, int64_t cents, const std::string& idempotency_key) {
  Transaction tx(db_);
  DepositOutcome out;
  // The user's row lock first: two requests with one key (a double click)
  // then take turns, and the second sees the first's row instead of failing
  // on the unique key.
  db_.sql("SELECT 1 FROM users WHERE id = ? FOR UPDATE").arg(user_id).rows();
  auto seen = db_.sql("SELECT 1 FROM transactions WHERE user_id = ? AND idempotency_key = ?")
                  .arg(user_id).arg(idempotency_key).rows();
  if (seen->next()) {
    out.balance_cents = balance(user_id);
    return out;
  }
  out.balance_cents = appendInTransaction(user_id, cents, EntryType::kDeposit, "Added funds", idempotency_key);
  out.applied = true;
  tx.commit();
  return out;
}

LedgerRepository::Page LedgerRepository::page(int64_t user_id, int offset, int limit) {
  auto rs = db_.sql("SELECT id, amount_cents, balance_after_cents, type, description, "
                    "DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s') FROM transactions "
                    "WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?")
                .arg(user_id).arg(limit).arg(offset).rows();
  Page page;
  while (rs->next()) {
    LedgerEntry e;
    e.id = rs->getInt64(1);
    e.amount_cents = rs->getInt64(2);
    e.balance_after_cents = rs->getInt64(3);
    e.type = rs->getString(4);
    e.description = rs->getString(5);
    e.created_at = rs->getString(6);
    page.entries.push_back(std::move(e));
  }
  page.total = count(user_id);
  return page;
}

int64_t LedgerRepository::count(int64_t user_id) {
  auto rs = db_.sql("SELECT COUNT(*) FROM transactions WHERE user_id = ?").arg(user_id).rows();
  rs->next();
  return rs->getInt64(1);
}

int64_t LedgerRepository::balance(int64_t user_id) {
  auto rs = db_.sql("SELECT credits_cents FROM users WHERE id = ?").arg(user_id).rows();
  return rs->next() ? rs->getInt64(1) : 0;
}

int64_t LedgerRepository::sumOfEntries(int64_t user_id) {
  auto rs = db_.sql("SELECT COALESCE(SUM(amount_cents), 0) FROM transactions WHERE user_id = ?").arg(user_id).rows();
  rs->next();
  return rs->getInt64(1);
}

}  // namespace gsp::db
