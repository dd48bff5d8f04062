// Users: sign-in (find or create, with the sign-up credit on the ledger) and lookup.
// Uses the caller's Database; not thread-safe (neither is the Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "db/database.h"

namespace gsp::db {

struct User {
  int64_t id = 0;
  std::string email;
  std::string provider;
  int64_t credits_cents = 0;
  bool is_admin = false;
  bool low_credit = false;  // the lifecycle found the balance short of a few hours of running servers
};

class UserRepository {
 public:
  explicit UserRepository(Database& db) : db_(db) {}

  // Finds the user by their identity at `provider` (its subject, compared byte
  // for byte; the mock provider's subject is the e-mail), or creates them with
  // `email` and credits `signup_credit_cents`
  // (a SIGNUP_CREDIT ledger entry) in the same database transaction. Safe when
  // two first sign-ins of one email race: exactly one user and one credit.
  User signIn(const std::string& provider, const std::string& subject, const std::string& email,
              int64_t signup_credit_cents);

  std::optional<User> findById(int64_t id);
  std::optional<User> findByEmail(const std::string& email);

 private:
  Database& db_;
};

}  // namespace gsp::db
