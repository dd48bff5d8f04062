#include "db/billing_repository.h"

#include "domain/billing.h"
#include "domain/server_state.h"

namespace gsp::db {

ChargeResult BillingRepository::chargeDueHour(int64_t server_id, int64_t now, int64_t* period_start) {
  Transaction tx(db_);
  // The server's row first, then its owner's: the order every charge takes.
  auto s = db_.sql("SELECT s.user_id, s.state, COALESCE(FLOOR(UNIX_TIMESTAMP(s.paid_until)), 0), "
                   "COALESCE(FLOOR(UNIX_TIMESTAMP(s.running_since)), 0), g.price_cents_per_hour, g.friendly_name, s.name "
                   "FROM servers s JOIN game_images g ON g.id = s.game_image_id "
                   "WHERE s.id = ? AND s.deleted_at IS NULL FOR UPDATE")
               .arg(server_id).rows();
  if (!s->next() || std::string(s->getString(2)) != domain::stateName(domain::ServerState::kRunning))
    return ChargeResult::kNotDue;
  const int64_t user_id = s->getInt64(1);
  const int64_t price = s->getInt64(5);
  int64_t start = domain::hourToCharge(s->getInt64(3), s->getInt64(4), now);
  if (start < 0) return ChargeResult::kNotDue;
  if (start == 0) start = now;  // never paid and no RUNNING time recorded: from now
  if (period_start) *period_start = start;
  const std::string what = std::string(s->getString(6)) + " \u00b7 " + std::string(s->getString(7));

  auto u = db_.sql("SELECT credits_cents FROM users WHERE id = ? FOR UPDATE").arg(user_id).rows();
  if (!u->next()) return ChargeResult::kNotDue;
  const int64_t balance = u->getInt64(1);
  auto charged = db_.sql("SELECT 1 FROM transactions WHERE server_id = ? AND period_start = FROM_UNIXTIME(?)")
                     .arg(server_id).arg(start).rows();
  if (!charged->next()) {
    if (balance < price) return ChargeResult::kCannotPay;
    db_.sql("INSERT INTO transactions (user_id, amount_cents, balance_after_cents, type, description, server_id, "
            "period_start) VALUES (?, ?, ?, 'HOURLY_CHARGE', CONCAT(?, ' \u00b7 ', DATE_FORMAT(FROM_UNIXTIME(?), "
            "'%H:%i'), '\u2013', DATE_FORMAT(FROM_UNIXTIME(?), '%H:%i UTC')), ?, FROM_UNIXTIME(?))")
        .arg(user_id).arg(-price).arg(balance - price).arg(what).arg(start)
        .arg(start + domain::kBilledPeriodSeconds).arg(server_id).arg(start).update();
    db_.sql("UPDATE users SET credits_cents = ? WHERE id = ?").arg(balance - price).arg(user_id).update();
  }
  // Already charged (another process was first): only paid_until may lag behind.
  db_.sql("UPDATE servers SET paid_until = GREATEST(COALESCE(paid_until, FROM_UNIXTIME(0)), FROM_UNIXTIME(?)) "
          "WHERE id = ?")
      .arg(start + domain::kBilledPeriodSeconds).arg(server_id).update();
  tx.commit();
  return ChargeResult::kCharged;
}

std::vector<DueServer> BillingRepository::dueServers(int64_t now) {
  auto rs = db_.sql("SELECT id, user_id FROM servers WHERE state = 'RUNNING' AND deleted_at IS NULL "
                    "AND (paid_until IS NULL OR paid_until <= FROM_UNIXTIME(?)) ORDER BY user_id, id")
                .arg(now).rows();
  std::vector<DueServer> out;
  while (rs->next()) out.push_back({rs->getInt64(1), rs->getInt64(2)});
  return out;
}

std::vector<RunningCost> BillingRepository::runningCosts() {
  auto rs = db_.sql("SELECT u.id, u.credits_cents, COALESCE(SUM(CASE WHEN s.state = 'RUNNING' "
                    "THEN g.price_cents_per_hour END), 0), u.low_credit_since IS NOT NULL "
                    "FROM users u LEFT JOIN servers s ON s.user_id = u.id AND s.deleted_at IS NULL "
                    "LEFT JOIN game_images g ON g.id = s.game_image_id "
                    "WHERE u.low_credit_since IS NOT NULL OR EXISTS "
                    "(SELECT 1 FROM servers r WHERE r.user_id = u.id AND r.state = 'RUNNING') "
                    "GROUP BY u.id, u.credits_cents, u.low_credit_since")
                .rows();
  std::vector<RunningCost> out;
  while (rs->next()) out.push_back({rs->getInt64(1), rs->getInt64(2), rs->getInt64(3), rs->getBoolean(4)});
  return out;
}

bool BillingRepository::markLowCredit(int64_t user_id, bool low) {
  if (low) {
    return db_.sql("UPDATE users SET low_credit_since = UTC_TIMESTAMP(6) WHERE id = ? AND low_credit_since IS NULL")
               .arg(user_id).update() == 1;
  }
  return db_.sql("UPDATE users SET low_credit_since = NULL WHERE id = ? AND low_credit_since IS NOT NULL")
             .arg(user_id).update() == 1;
}

}  // namespace gsp::db
