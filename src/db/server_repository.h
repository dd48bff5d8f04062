// Game servers as the dashboard lists them. Grows with the Docker issue
// (create, state transitions); for now: the owner's list.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/database.h"

namespace gsp::db {

struct ServerPort {
  std::string protocol;  // "tcp" or "udp"
  int internal_port = 0;
  int public_port = 0;
};

struct ServerSummary {
  int64_t id = 0;
  std::string name;
  std::string game_name;
  std::string state;  // SLEEPING, STARTING, RUNNING, STOPPING, ERROR
  int64_t price_cents_per_hour = 0;
  std::vector<ServerPort> ports;
};

class ServerRepository {
 public:
  explicit ServerRepository(Database& db) : db_(db) {}

  // The user's servers (deleted ones excluded), oldest first, with their ports.
  std::vector<ServerSummary> listForUser(int64_t user_id);

 private:
  Database& db_;
};

}  // namespace gsp::db
