// Runs one job that the runner claimed, to its end: re-checks that the server
// exists and that its state allows the job (domain::jobStep; gsp-web checked
// too, but the agent trusts no asker), and for a wake that the owner can pay
// the first hour; acts through the orchestrator; writes the outcome (DONE or
// FAILED with a message for people). A job that finds its server in its own
// passing state resumes it: that is what an agent killed half-way leaves.
// One per worker thread (its own Database and orchestrator); not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "backup/backup_target.h"
#include "core/config.h"
#include "db/database.h"
#include "db/job_repository.h"
#include "orchestration/docker_orchestrator.h"

namespace gsp::agent {

class JobExecutor {
 public:
  // A job run this many times without ending is failed (something kills the agent at it).
  static constexpr int kMaxAttempts = 3;

  JobExecutor(const Config& config, db::Database& db, orchestration::DockerOrchestrator& orchestrator);

  // `job_id` must be RUNNING (claimed by this agent). A lost database
  // connection is retried once on a new one; other database errors escape.
  void run(int64_t job_id);

 private:
  void runOnce(int64_t job_id);
  // The outcome of the job's act (kOk: done), and what to say when done.
  Status act(const db::Job& job, const db::ServerRecord& server, bool begin, std::string* done_message);
  // BACKUP, RESTORE and DELETE_BACKUP: about one backup row; a failed BACKUP
  // marks its backup FAILED with the reason.
  void runBackupJob(const db::Job& job, const std::function<void(bool, const std::string&)>& finish);
  // After a sleep: queues the server's "back up when it goes to sleep", unless
  // one was taken within backup.on-sleep-min-hours.
  void backUpOnSleep(const db::ServerRecord& server);
  // Removes the oldest unlocked backups until the server is within its limit
  // (counting `keep_id`, the one being taken); kConflict when all are locked.
  Status makeRoom(const db::ServerRecord& server, int64_t keep_id, backup::BackupTarget& target);

  const Config& config_;
  db::Database& db_;
  orchestration::DockerOrchestrator& orchestrator_;
};

}  // namespace gsp::agent
