// Game servers: the dashboard list, creation with public port allocation,
// conditional state transitions with their event log, and the Docker objects
// that belong to each server. The database is the truth for what should exist.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/catalog_repository.h"
#include "db/database.h"
#include "domain/server_state.h"

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

struct ServerRecord {
  int64_t id = 0;
  int64_t user_id = 0;
  int game_image_id = 0;
  std::string name;
  domain::ServerState state = domain::ServerState::kError;
  std::string state_message;
  std::string proxy_container_id;
  std::string game_container_id;
  std::string network_name;
  std::string volume_name;
  std::string webhook_secret;  // hex; shared with the server's proxy only
  std::string last_activity_at;  // "YYYY-MM-DD HH:MM:SS" UTC, or empty
  int live_tcp_connections = 0;  // as last reported by the proxy
  int live_udp_sessions = 0;
  // Unix seconds, 0 when unset: the lifecycle's facts (sql/006).
  int64_t last_activity_unix = 0;
  int64_t running_since_unix = 0;
  int64_t paid_until_unix = 0;
  int64_t keep_awake_until_unix = 0;
  // sql/008: when it entered its state, its last crash, and whether players
  // may wake it (not after a crash loop or a start timeout: its owner must).
  int64_t state_since_unix = 0;
  int64_t last_crash_unix = 0;
  bool wake_blocked = false;
  // sql/010: automatic backups: when it goes to sleep, and daily at this UTC hour (-1: off).
  bool backup_on_sleep = false;
  int backup_daily_hour = -1;
  std::string created_at;
  std::vector<ServerPort> ports;  // sorted by public port, then protocol
};

struct ServerEvent {
  std::string created_at;
  std::string from_state;
  std::string to_state;
  std::string cause;
  std::string detail;  // the game's last log lines, for a crash; else empty
};

// What a transition writes besides the state: the message the page shows, the
// event's detail, and for an exit nobody asked for, whether it was a crash
// (remembered for the crash-loop window) and whether players may wake it.
struct TransitionNote {
  std::string message;
  std::string detail;
  bool crash = false;
  bool block_wakes = false;
};

struct NewServer {
  int64_t user_id = 0;
  int game_image_id = 0;
  std::string name;
  std::string webhook_secret;
  std::vector<GamePort> ports;  // of the game image
  int port_min = 0;             // public port range, inclusive
  int port_max = 0;
  int max_servers = 0;          // the user's limit of servers at once; 0: none (an admin)
};

class ServerRepository {
 public:
  explicit ServerRepository(Database& db) : db_(db) {}

  // The user's servers (deleted ones excluded), oldest first, with their ports.
  std::vector<ServerSummary> listForUser(int64_t user_id);

  // Writes the server (CREATING), one public port per game port and the first
  // event, in one transaction. The ports are a random free block of the range
  // and keep the game's spacing (Valheim's
  // 2456-2457 become P and P+1) and a TCP and a UDP port with the same number
  // share one public number. Errors: kConflict (name taken), kForbidden (the
  // user has max_servers already), kUnavailable (no free ports).
  Result<int64_t> create(const NewServer& server);

  std::optional<ServerRecord> find(int64_t id);  // not deleted
  // Another user's server is not found, unless `is_admin`.
  std::optional<ServerRecord> findOwned(int64_t id, int64_t user_id, bool is_admin);

  // The user's RUNNING servers as billing sees them (for the low-credit banner).
  struct Running {
    int64_t id = 0;
    std::string name;
    int64_t cents_per_hour = 0;
    int64_t paid_until_unix = 0;
  };
  std::vector<Running> runningForUser(int64_t user_id);

  // True when the server exists but is deleted, and the user may see it (its owner, or an admin).
  bool isDeletedAndOwned(int64_t id, int64_t user_id, bool is_admin);

  // UPDATE ... WHERE id = ? AND state = from, plus an event row, atomically.
  // False when the server was not in `from` (someone else moved it first).
  // Any transition out of ERROR lets players wake the server again.
  bool transition(int64_t id, domain::ServerState from, domain::ServerState to, const std::string& cause,
                  const std::string& message = "");
  bool transition(int64_t id, domain::ServerState from, domain::ServerState to, const std::string& cause,
                  const TransitionNote& note);
  // An event that changes no state: "the proxy container was missing; made again".
  void recordEvent(int64_t id, const std::string& cause, const std::string& detail = "");

  // Gives a CREATING server a new random block of public ports (one of its
  // ports turned out to be taken outside the platform). kUnavailable: none free.
  Status reassignPorts(int64_t id, const std::vector<GamePort>& game_ports, int port_min, int port_max);

  void setDockerObjects(int64_t id, const std::string& network, const std::string& volume,
                        const std::string& proxy_container, const std::string& game_container);

  // Marks the server DELETED (kept for the ledger) and frees its ports.
  void markDeleted(int64_t id, const std::string& cause);

  // The owner's automatic backups; `daily_hour` -1 turns the daily one off.
  void setBackupSchedule(int64_t id, bool on_sleep, int daily_hour);

  // The owner's "keep awake": no idle sleep before `until` (unix seconds).
  void keepAwakeUntil(int64_t id, int64_t until);

  // Records a proxy's activity report: live clients, when > 0 the time of the
  // last client traffic (which never moves backwards), and the bytes relayed
  // from and to players since its previous report.
  // Wakes by traffic (sql/015). A wake by traffic is remembered; an owner's
  // start ends any pause. False from trafficWakesPaused with the pause's end.
  void noteWakeByTraffic(int64_t id);
  void noteWakeByOwner(int64_t id);
  bool trafficWakesPaused(int64_t id, std::string* until_utc);
  // Before an idle sleep: a wake by traffic with no player since counts as
  // phantom; `pause_after` in a row pause wakes by traffic for `pause_minutes`.
  void notePhantomWake(int64_t id, int pause_after, int pause_minutes);
  void recordActivity(int64_t id, int tcp_connections, int udp_sessions, int64_t last_traffic_unix,
                      int64_t bytes_in = 0, int64_t bytes_out = 0);

  std::vector<ServerEvent> events(int64_t id, int limit);

 private:
  std::vector<ServerRecord> load(const std::string& where, int64_t a, int64_t b);
  Status allocatePorts(int64_t server_id, const NewServer& server);
  Database& db_;
};

}  // namespace gsp::db
