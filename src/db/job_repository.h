// Jobs (sql/004_jobs.sql): queued by gsp-web (and later the lifecycle helper),
// taken and run by gsp-agent, followed by the server page. At most one job is
// active (QUEUED or RUNNING) per server: the unique key on active_server_id
// holds that across processes and hosts.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "db/database.h"
#include "domain/job.h"

namespace gsp::db {

struct Job {
  int64_t id = 0;
  int64_t server_id = 0;
  domain::JobKind kind = domain::JobKind::kWake;
  domain::JobState state = domain::JobState::kQueued;
  std::string cause;
  int64_t requested_by_user_id = 0;  // 0: not a user (a player, the lifecycle)
  std::string progress_text;
  int64_t progress_done = 0;
  int64_t progress_total = 0;
  std::string message;
  int attempts = 0;
  std::string created_at;   // "YYYY-MM-DD HH:MM:SS" UTC
  std::string finished_at;  // empty while active
  int64_t backup_id = 0;    // BACKUP, RESTORE, DELETE_BACKUP: the backup it is about
};

class JobRepository {
 public:
  explicit JobRepository(Database& db) : db_(db) {}

  // Queues `kind` on the server. When a job is already active on it, a job of
  // the same kind is that job (a second wake is the same wake: its id is
  // returned), another kind is kConflict, naming what the server is busy with.
  // `backup_id`: the backup a RESTORE restores.
  Result<int64_t> enqueue(int64_t server_id, domain::JobKind kind, const std::string& cause,
                          int64_t requested_by_user_id = 0, int64_t backup_id = 0);

  // A job about one backup. BACKUP and DELETE_BACKUP do not hold the server
  // (a game may wake or sleep while it is backed up): they never conflict.
  int64_t enqueueForBackup(int64_t server_id, int64_t backup_id, domain::JobKind kind, const std::string& cause,
                           int64_t requested_by_user_id = 0);

  std::optional<Job> find(int64_t id);
  // The server's newest job, active or not.
  std::optional<Job> latestForServer(int64_t server_id);
  // QUEUED jobs, urgent kinds (wakes) first, then oldest first.
  struct Queued {
    int64_t id;
    domain::JobKind kind;
  };
  std::vector<Queued> queued(int limit);

  // QUEUED -> RUNNING (attempts + 1). False when another taker was first.
  bool claim(int64_t id);
  // RUNNING jobs go back to QUEUED: what an agent that was killed left. Returns how many.
  int requeueRunning(const std::string& note);
  // One RUNNING job back to QUEUED, to be tried again (its run hit an error).
  void release(int64_t id);
  // Shown on the server page while the job runs. Not seen by cached pages.
  void progress(int64_t id, const std::string& text, int64_t done, int64_t total);
  // RUNNING/QUEUED -> DONE or FAILED; the server is free for its next job.
  void finish(int64_t id, bool ok, const std::string& message);

 private:
  std::optional<Job> load(const std::string& where, int64_t arg);
  Database& db_;
};

}  // namespace gsp::db
