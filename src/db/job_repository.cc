#include "db/job_repository.h"

#include <cppconn/exception.h>

namespace gsp::db {

using domain::JobKind;
using domain::JobState;

namespace {

const int kDuplicateKey = 1062;

const char kColumns[] =
    "SELECT id, server_id, kind, state, cause, COALESCE(requested_by_user_id, 0), progress_text, progress_done, "
    "progress_total, message, attempts, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), "
    "COALESCE(DATE_FORMAT(finished_at, '%Y-%m-%d %H:%i:%s'), ''), COALESCE(backup_id, 0) FROM jobs ";

}  // namespace

Result<int64_t> JobRepository::enqueue(int64_t server_id, JobKind kind, const std::string& cause,
                                       int64_t requested_by_user_id, int64_t backup_id) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::optional<Job> active = load("active_server_id = ?", server_id);
    if (active) {
      if (active->kind == kind) return active->id;
      return Status::conflict("The server is busy (" + domain::jobTitle(active->kind) +
                              "); try again when that is done.");
    }
    try {
      Query q = db_.sql("INSERT INTO jobs (server_id, kind, active_server_id, cause, requested_by_user_id, backup_id) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
      q.arg(server_id).arg(domain::jobKindName(kind)).arg(server_id).arg(cause.substr(0, 255));
      if (requested_by_user_id > 0) q.arg(requested_by_user_id);
      else q.argNull();
      if (backup_id > 0) q.arg(backup_id);
      else q.argNull();
      q.update();
      return db_.lastInsertId();
    } catch (const sql::SQLException& e) {
      // Another process queued a job on this server between our read and insert.
      if (e.getErrorCode() != kDuplicateKey) throw;
    }
  }
  return Status::conflict("The server is busy; try again in a moment.");
}

int64_t JobRepository::enqueueForBackup(int64_t server_id, int64_t backup_id, JobKind kind, const std::string& cause,
                                        int64_t requested_by_user_id) {
  Query q = db_.sql("INSERT INTO jobs (server_id, backup_id, kind, cause, requested_by_user_id) VALUES (?, ?, ?, ?, ?)");
  q.arg(server_id).arg(backup_id).arg(domain::jobKindName(kind)).arg(cause.substr(0, 255));
  if (requested_by_user_id > 0) q.arg(requested_by_user_id);
  else q.argNull();
  q.update();
  return db_.lastInsertId();
}

std::optional<Job> JobRepository::load(const std::string& where, int64_t arg) {
  auto rs = db_.sql(std::string(kColumns) + "WHERE " + where + " ORDER BY id DESC LIMIT 1").arg(arg).rows();
  if (!rs->next()) return std::nullopt;
  Job j;
  j.id = rs->getInt64(1);
  j.server_id = rs->getInt64(2);
  j.kind = domain::parseJobKind(rs->getString(3)).value_or(JobKind::kWake);
  j.state = domain::parseJobState(rs->getString(4)).value_or(JobState::kFailed);
  j.cause = rs->getString(5);
  j.requested_by_user_id = rs->getInt64(6);
  j.progress_text = rs->getString(7);
  j.progress_done = rs->getInt64(8);
  j.progress_total = rs->getInt64(9);
  j.message = rs->getString(10);
  j.attempts = rs->getInt(11);
  j.created_at = rs->getString(12);
  j.finished_at = rs->getString(13);
  j.backup_id = rs->getInt64(14);
  return j;
}

std::optional<Job> JobRepository::find(int64_t id) { return load("id = ?", id); }

std::optional<Job> JobRepository::latestForServer(int64_t server_id) { return load("server_id = ?", server_id); }

std::vector<JobRepository::Queued> JobRepository::queued(int limit) {
  auto rs = db_.sql("SELECT id, kind FROM jobs WHERE state = 'QUEUED' ORDER BY kind = 'WAKE' DESC, id LIMIT ?")
                .arg(limit).rows();
  std::vector<Queued> out;
  while (rs->next()) out.push_back({rs->getInt64(1), domain::parseJobKind(rs->getString(2)).value_or(JobKind::kWake)});
  return out;
}

bool JobRepository::claim(int64_t id) {
  return db_.sql("UPDATE jobs SET state = 'RUNNING', attempts = attempts + 1, started_at = UTC_TIMESTAMP(6) "
                 "WHERE id = ? AND state = 'QUEUED'")
             .arg(id).update() == 1;
}

int JobRepository::requeueRunning(const std::string& note) {
  return db_.sql("UPDATE jobs SET state = 'QUEUED', progress_text = ? WHERE state = 'RUNNING'").arg(note).update();
}

void JobRepository::release(int64_t id) {
  db_.sql("UPDATE jobs SET state = 'QUEUED' WHERE id = ? AND state = 'RUNNING'").arg(id).update();
}

void JobRepository::progress(int64_t id, const std::string& text, int64_t done, int64_t total) {
  db_.sql("UPDATE jobs SET progress_text = ?, progress_done = ?, progress_total = ? WHERE id = ?")
      .arg(text.substr(0, 200)).arg(done).arg(total).arg(id).updateUnseenByPages();
}

void JobRepository::finish(int64_t id, bool ok, const std::string& message) {
  db_.sql("UPDATE jobs SET state = ?, message = ?, active_server_id = NULL, finished_at = UTC_TIMESTAMP(6) "
          "WHERE id = ? AND state IN ('QUEUED', 'RUNNING')")
      .arg(ok ? "DONE" : "FAILED").arg(message.substr(0, 1000)).arg(id).update();
}

}  // namespace gsp::db
