// The one narrow interface through which the unprivileged programs act on a
// server's Docker objects, keyed by server id (ARCHITECTURE.md, "Security
// model"). gsp-web's implementation (agentapi/agent_operations.h) turns each
// act into a job that gsp-agent, the only holder of the Docker socket, runs and
// re-checks; the act's outcome shows in the job row and the server's state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace gsp::orchestration {

struct ServerLogLine {
  std::string stream;     // "stdout" or "stderr"
  std::string timestamp;  // RFC 3339 from the engine
  std::string text;
};

struct ServerLogs {
  std::vector<ServerLogLine> lines;
  int64_t cursor = 0;  // pass back as since_unix to get only newer lines
};

struct ServerStats {
  bool running = false;
  double cpu_percent = 0;  // as `docker stats` computes it
  int64_t memory_bytes = 0;  // without page cache
  int64_t memory_limit_bytes = 0;
};

// What one reconcile did (orchestration/reconciler.h), for the lifecycle's log and benchmark.
struct ReconcileReport {
  int servers = 0;          // rows compared
  int repairs = 0;          // jobs queued
  int orphans_removed = 0;  // containers, networks and volumes
  int sampled = 0;          // stats samples stored
  int docker_calls = 0;
};

// Who asks for an act: a signed-in user (their id), or nobody in particular (a
// player's connection, the lifecycle helper: user_id 0); `cause` says it in
// words for the server's history ("woken by a player on 203.0.113.7").
struct Asker {
  int64_t user_id = 0;
  std::string cause;
};

class ServerOperations {
 public:
  virtual ~ServerOperations() = default;

  // Each act is queued and returns at once: kConflict when another act is
  // still running on the server, kUnavailable when it cannot be queued.
  // CREATING -> SLEEPING: the network, volume and both containers.
  virtual Status provision(int64_t server_id, const Asker& by) = 0;
  // SLEEPING/ERROR -> STARTING: starts the game container.
  virtual Status wake(int64_t server_id, const Asker& by) = 0;
  // STARTING/RUNNING/ERROR -> STOPPING -> SLEEPING: stops the game with the save grace period.
  virtual Status hibernate(int64_t server_id, const Asker& by) = 0;
  // Removes both containers, the network and the volume; the row stays for the ledger.
  virtual Status destroy(int64_t server_id, const Asker& by) = 0;

  // Backups (db/backup_repository.h; the row is written by the asker). A
  // backup and a backup's deletion never conflict with the server's acts; a
  // restore holds the server (kConflict while another act runs on it).
  virtual Status backUp(int64_t server_id, int64_t backup_id, const Asker& by) = 0;
  virtual Status restore(int64_t server_id, int64_t backup_id, const Asker& by) = 0;
  virtual Status deleteBackup(int64_t server_id, int64_t backup_id, const Asker& by) = 0;
  // A URL the owner's browser downloads a finished Cloud Storage backup from
  // (signed, valid for minutes). Local backups are served by nginx instead.
  virtual Result<std::string> backupDownloadUrl(int64_t server_id, int64_t backup_id) = 0;

  // The game container's last `tail` lines, or those after `since_unix` when > 0.
  virtual Result<ServerLogs> logs(int64_t server_id, int tail, int64_t since_unix) = 0;
  virtual Result<ServerStats> stats(int64_t server_id) = 0;

  // A lifecycle pass's look at the engine (orchestration/reconciler.h):
  // repairs queued, orphans removed, usage samples stored at `at` (unix seconds).
  virtual Result<ReconcileReport> reconcile(int64_t at) = 0;
};

}  // namespace gsp::orchestration
