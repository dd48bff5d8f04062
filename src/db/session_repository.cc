#include "db/session_repository.h"

namespace gsp::db {

void SessionRepository::create(const std::string& token_hash_hex, int64_t user_id, int lifetime_hours,
                               const std::string& user_agent) {
  db_.sql("INSERT INTO sessions (token_hash, user_id, expires_at, user_agent) "
          "VALUES (?, ?, UTC_TIMESTAMP(6) + INTERVAL ? HOUR, ?)")
      .arg(token_hash_hex).arg(user_id).arg(lifetime_hours).arg(user_agent.substr(0, 255)).update();
}

std::optional<User> SessionRepository::findUser(const std::string& token_hash_hex, int64_t* ms_left) {
  auto rs = db_.sql("SELECT u.id, u.email, u.provider, u.credits_cents, u.is_admin, "
                    "TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(6), s.expires_at) DIV 1000, u.low_credit_since IS NOT NULL "
                    "FROM sessions s JOIN users u ON u.id = s.user_id "
                    "WHERE s.token_hash = ? AND s.expires_at > UTC_TIMESTAMP(6)")
                .arg(token_hash_hex).rows();
  if (!rs->next()) return std::nullopt;
  User u;
  u.id = rs->getInt64(1);
  u.email = rs->getString(2);
  u.provider = rs->getString(3);
  u.credits_cents = rs->getInt64(4);
  u.is_admin = rs->getBoolean(5);
  if (ms_left) *ms_left = rs->getInt64(6);
  u.low_credit = rs->getBoolean(7);
  return u;
}

bool SessionRepository::remove(const std::string& token_hash_hex) {
  return db_.sql("DELETE FROM sessions WHERE token_hash = ?").arg(token_hash_hex).update() > 0;
}

int SessionRepository::removeExpired(int limit) {
  return db_.sql("DELETE FROM sessions WHERE expires_at <= UTC_TIMESTAMP(6) LIMIT ?").arg(limit).update();
}

}  // namespace gsp::db
