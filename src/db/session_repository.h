// Server-side sessions. Only the SHA-256 of a session token is stored, so a
// leaked database does not leak live sessions. Not thread-safe (uses the caller's Database).
#pragma once

#include <optional>
#include <string>

#include "db/database.h"
#include "db/user_repository.h"

namespace gsp::db {

class SessionRepository {
 public:
  explicit SessionRepository(Database& db) : db_(db) {}

  void create(const std::string& token_hash_hex, int64_t user_id, int lifetime_hours,
              const std::string& user_agent);
  // The signed-in user of an unexpired session; *ms_left (when given) is set
  // to the time until it expires, measured by the database's clock.
  std::optional<User> findUser(const std::string& token_hash_hex, int64_t* ms_left = nullptr);
  // True when a session was deleted.
  bool remove(const std::string& token_hash_hex);
  // Deletes up to `limit` expired sessions (a lifecycle pass's purge); how many.
  int removeExpired(int limit);

 private:
  Database& db_;
};

}  // namespace gsp::db
