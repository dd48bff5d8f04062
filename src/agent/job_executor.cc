#include "agent/job_executor.h"

#include <cppconn/exception.h>

#include <ctime>

#include "core/log.h"
#include "backup/backup_targets.h"
#include "db/backup_repository.h"
#include "db/catalog_repository.h"
#include "db/server_repository.h"
#include "db/user_repository.h"
#include "domain/billing.h"

namespace gsp::agent {

using domain::JobKind;
using domain::JobStep;

JobExecutor::JobExecutor(const Config& config, db::Database& db, orchestration::DockerOrchestrator& orchestrator)
    : config_(config), db_(db), orchestrator_(orchestrator) {}

void JobExecutor::run(int64_t job_id) {
  for (int attempt = 1;; ++attempt) {
    try {
      return runOnce(job_id);
    } catch (const sql::SQLException& e) {
      // A failed connection is never reused. One that MariaDB dropped (a
      // restart) is no fault of the job: once more on a new connection; the
      // job resumes from the server's state like after any interruption.
      db_.disconnect();
      if (db::isConnectionLost(e) && attempt == 1) continue;
      throw;
    }
  }
}

void JobExecutor::runOnce(int64_t job_id) {
  db::JobRepository jobs(db_);
  std::optional<db::Job> job = jobs.find(job_id);
  if (!job || job->state != domain::JobState::kRunning) return;
  auto finish = [&](bool ok, const std::string& message) {
    jobs.finish(job_id, ok, message);
    log::info() << "job " << job_id << " (" << domain::jobKindName(job->kind) << ", server " << job->server_id
                << ") " << (ok ? "done" : "failed") << (message.empty() ? "" : ": ") << message;
  };

  if (job->kind == JobKind::kBackup || job->kind == JobKind::kRestore || job->kind == JobKind::kDeleteBackup)
    return runBackupJob(*job, finish);

  db::ServerRepository servers(db_);
  std::optional<db::ServerRecord> server = servers.find(job->server_id);
  if (!server) {
    if (job->kind == JobKind::kDelete) return finish(true, "The server was already deleted.");
    return finish(false, "The server no longer exists.");
  }
  if (job->attempts > kMaxAttempts) {
    std::string why = "Given up after " + std::to_string(kMaxAttempts) + " interrupted attempts.";
    // A server half made is not left behind.
    if (job->kind == JobKind::kCreate) orchestrator_.destroy(*server, "creation " + why, false);
    return finish(false, why);
  }

  if (job->kind == JobKind::kWake &&
      (server->state == domain::ServerState::kStarting || server->state == domain::ServerState::kRunning)) {
    // A player could not reach the game: if it died, its exit is judged first
    // (a crash is recorded) and the server sleeps, so this wake starts it again.
    std::string what;
    if (orchestrator_.settleIfGameDead(*server, &what)) {
      log::info() << "job " << job_id << ": server " << server->id << ": " << what;
      server = servers.find(job->server_id);
      if (!server) return finish(false, "The server no longer exists.");
    }
  }
  // After a crash loop or a start timeout only the owner starts the game again.
  if (job->kind == JobKind::kWake && server->wake_blocked && job->requested_by_user_id == 0)
    return finish(false, "The server stopped after an error; its owner has to start it again.");

  JobStep step = domain::jobStep(job->kind, server->state);
  if (step == JobStep::kRefuse) return finish(false, domain::refusal(domain::jobAction(job->kind), server->state));
  if (step == JobStep::kNothing) return finish(true, std::string("Nothing to do: the server is already ") +
                                                         domain::stateName(server->state) + ".");
  if (job->attempts > 1) log::info() << "job " << job_id << ": resuming (attempt " << job->attempts << ")";
  std::string done;
  Status acted = act(*job, *server, step == JobStep::kBegin, &done);
  // Queued before the sleep's job ends: whoever waits for that job sees the backup.
  if (acted.isOk() && job->kind == JobKind::kHibernate) backUpOnSleep(*server);
  finish(acted.isOk(), acted.isOk() ? done : acted.message());
}

void JobExecutor::backUpOnSleep(const db::ServerRecord& server) {
  db::BackupRepository backups(db_);
  if (!server.backup_on_sleep || backups.anyInProgress(server.id)) return;
  const int64_t last = backups.lastOfReason(server.id, "ON_SLEEP");
  if (last > 0 && time(nullptr) - last < int64_t(config_.backup_on_sleep_min_hours) * 3600) return;
  int64_t id = backups.create(server.id, "ON_SLEEP", 0);
  int64_t job = db::JobRepository(db_).enqueueForBackup(server.id, id, JobKind::kBackup, "backed up as it went to sleep");
  log::info() << "server " << server.id << ": backup " << id << " queued as it went to sleep (job " << job << ")";
}

void JobExecutor::runBackupJob(const db::Job& job, const std::function<void(bool, const std::string&)>& finish) {
  db::BackupRepository backups(db_);
  std::optional<db::Backup> backup = backups.find(job.backup_id);
  if (!backup) return finish(job.kind == JobKind::kDeleteBackup, "The backup was already deleted.");
  std::unique_ptr<backup::BackupTarget> target = backup::configuredTarget(config_);
  if (job.kind == JobKind::kDeleteBackup) {
    // Never taken (no target yet), or failed (a failure leaves nothing
    // stored): there is no object to remove, wherever it was to go.
    Status removed = backup->target.empty() || backup->state == "FAILED" ? Status::ok()
                     : backup->target == target->name() ? target->remove(backup->object_name)
                                                        : Status::unavailable("The backup is on the " + backup->target +
                                                                              " target, which this host does not use.");
    if (!removed.isOk()) return finish(false, removed.message());
    backups.markDeleted(backup->id);
    return finish(true, "The backup is deleted.");
  }

  std::optional<db::ServerRecord> server = db::ServerRepository(db_).find(job.server_id);
  auto failBackup = [&](const std::string& why) {
    if (job.kind == JobKind::kBackup) backups.fail(backup->id, why);
    finish(false, why);
  };
  if (!server) return failBackup("The server no longer exists.");
  if (job.attempts > kMaxAttempts)
    return failBackup("Given up after " + std::to_string(kMaxAttempts) + " interrupted attempts.");
  if (domain::jobStep(job.kind, server->state) == JobStep::kRefuse)
    return failBackup(domain::refusal(domain::jobAction(job.kind), server->state));

  if (job.kind == JobKind::kBackup) {
    // "Sleep first": the game saves its world as it stops, so the copy is consistent.
    if (backup->sleep_first && domain::canHibernate(server->state) && server->state != domain::ServerState::kError) {
      Status slept = orchestrator_.hibernate(*server, "put to sleep for a consistent backup", true);
      if (!slept.isOk()) return failBackup(slept.message());
      server = db::ServerRepository(db_).find(job.server_id);
      if (!server) return failBackup("The server no longer exists.");
    }
    // Automatic backups make room at the limit (a manual one was refused there).
    if (backup->reason != "MANUAL") {
      Status room = makeRoom(*server, backup->id, *target);
      if (!room.isOk()) return failBackup(room.message());
    }
    Status taken = orchestrator_.backup(*server, *backup, [&](const std::string& text, int64_t done, int64_t total) {
      db::JobRepository(db_).progress(job.id, text, done, total);
    });
    if (!taken.isOk()) return failBackup(taken.message());
    return finish(true, "The backup is stored.");
  }

  // RESTORE: never while a backup of the server is being taken; asleep first.
  if (backups.anyInProgress(server->id))
    return finish(false, "A backup of this server is being taken; restore when it is done.");
  if (domain::canHibernate(server->state) && server->state != domain::ServerState::kError) {
    Status slept = orchestrator_.hibernate(*server, "put to sleep to restore a backup", true);
    if (!slept.isOk()) return finish(false, slept.message());
    server = db::ServerRepository(db_).find(job.server_id);
    if (!server) return finish(false, "The server no longer exists.");
  }
  if (server->state != domain::ServerState::kSleeping && server->state != domain::ServerState::kError)
    return finish(false, domain::refusal("restore", server->state));
  std::string done;
  Status restored = orchestrator_.restore(*server, *backup, &done);
  finish(restored.isOk(), restored.isOk() ? done : restored.message());
}

Status JobExecutor::makeRoom(const db::ServerRecord& server, int64_t keep_id, backup::BackupTarget& target) {
  db::BackupRepository backups(db_);
  std::optional<db::GameImage> game = db::CatalogRepository(db_).find(server.game_image_id);
  const int limit = game ? game->backup_limit : 5;
  // This backup counts already (it is QUEUED or RUNNING).
  while (backups.countKept(server.id) > limit) {
    std::optional<db::Backup> oldest = backups.oldestUnlocked(server.id);
    if (!oldest || oldest->id == keep_id)
      return Status::conflict("This server keeps at most " + std::to_string(limit) +
                              " backups and all of them are locked: unlock one to make room.");
    Status removed = target.remove(oldest->object_name);
    if (!removed.isOk()) return removed;
    backups.markDeleted(oldest->id);
    db::ServerRepository(db_).recordEvent(server.id, "removed the backup of " + oldest->created_at +
                                                         " UTC to make room (the limit is " + std::to_string(limit) + ")");
  }
  return Status::ok();
}

Status JobExecutor::act(const db::Job& job, const db::ServerRecord& server, bool begin, std::string* done) {
  switch (job.kind) {
    case JobKind::kCreate:
      *done = "The server is ready and asleep.";
      return orchestrator_.create(server.id, [&](const std::string& text, int64_t d, int64_t total) {
        db::JobRepository(db_).progress(job.id, text, d, total);
      });
    case JobKind::kWake: {
      if (begin) {
        std::optional<db::GameImage> game = db::CatalogRepository(db_).find(server.game_image_id);
        std::optional<db::User> owner = db::UserRepository(db_).findById(server.user_id);
        if (!game || !owner) return Status::internal("The server's game or owner is missing.");
        if (!domain::canStart(owner->credits_cents, game->price_cents_per_hour, server.paid_until_unix, time(nullptr)))
          return Status::forbidden(domain::firstHourRefusal(game->friendly_name, game->price_cents_per_hour));
      }
      *done = "The game is starting.";
      return orchestrator_.wake(server, job.cause, begin);
    }
    case JobKind::kHibernate:
      *done = "The server is asleep; its world is saved.";
      return orchestrator_.hibernate(server, job.cause, begin);
    case JobKind::kDelete:
      *done = "The server is deleted.";
      return orchestrator_.destroy(server, job.cause, begin);
    case JobKind::kRepair:
      return orchestrator_.repair(server, done);
    case JobKind::kBackup:
    case JobKind::kRestore:
    case JobKind::kDeleteBackup:
      break;  // runBackupJob()
  }
  return Status::internal("unknown job kind");
}

}  // namespace gsp::agent
