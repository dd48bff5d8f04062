#include "db/user_repository.h"

#include "db/ledger_repository.h"

namespace gsp::db {

namespace {
User readUser(sql::ResultSet& rs) {
  User u;
  u.id = rs.getInt64("id");
  u.email = rs.getString("email");
  u.provider = rs.getString("provider");
  u.credits_cents = rs.getInt64("credits_cents");
  u.is_admin = rs.getBoolean("is_admin");
  u.low_credit = rs.getBoolean("low_credit");
  return u;
}
const char kSelectUser[] =
    "SELECT id, email, provider, credits_cents, is_admin, low_credit_since IS NOT NULL AS low_credit FROM users ";
}  // namespace

User UserRepository::signIn(const std::string& provider, const std::string& subject, const std::string& email,
                            int64_t signup_credit_cents) {
  Transaction tx(db_);
  int inserted = db_.sql("INSERT IGNORE INTO users (email, provider, provider_subject) VALUES (?, ?, ?)")
                     .arg(email).arg(provider).arg(subject).update();
  if (inserted == 1 && signup_credit_cents > 0) {
    int64_t id = db_.lastInsertId();
    LedgerRepository(db_).appendInTransaction(id, signup_credit_cents, EntryType::kSignupCredit,
                                              "Welcome credit", "");
  }
  db_.sql("UPDATE users SET last_login_at = UTC_TIMESTAMP(6) WHERE provider = ? AND provider_subject = ?")
      .arg(provider).arg(subject).update();
  auto rs = db_.sql(std::string(kSelectUser) + "WHERE provider = ? AND provider_subject = ?").arg(provider).arg(subject).rows();
  rs->next();
  User user = readUser(*rs);
  tx.commit();
  return user;
}

std::optional<User> UserRepository::findByEmail(const std::string& email) {
  auto rs = db_.sql(std::string(kSelectUser) + "WHERE email = ?").arg(email).rows();
  if (!rs->next()) return std::nullopt;
  return readUser(*rs);
}

std::optional<User> UserRepository::findById(int64_t id) {
  auto rs = db_.sql(std::string(kSelectUser) + "WHERE id = ?").arg(id).rows();
  if (!rs->next()) return std::nullopt;
  return readUser(*rs);
}

}  // namespace gsp::db
