#include "db/backup_repository.h"

namespace gsp::db {

namespace {

const char kColumns[] =
    "SELECT id, server_id, state, target, object_name, reason, taken_while_running, locked, bytes_read, bytes_stored, "
    "COALESCE(sha256, ''), COALESCE(md5, ''), COALESCE(crc32c, ''), message, "
    "DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), FLOOR(UNIX_TIMESTAMP(created_at)), sleep_first, "
    "COALESCE(upload_session, '') FROM backups ";

}  // namespace

int64_t BackupRepository::create(int64_t server_id, const std::string& reason, int64_t requested_by_user_id,
                                 bool sleep_first) {
  Transaction tx(db_);
  Query q = db_.sql("INSERT INTO backups (server_id, target, object_name, reason, sleep_first, requested_by_user_id) "
                    "VALUES (?, '', '', ?, ?, ?)");
  q.arg(server_id).arg(reason).arg(sleep_first);
  if (requested_by_user_id > 0) q.arg(requested_by_user_id);
  else q.argNull();
  q.update();
  int64_t id = db_.lastInsertId();
  // servers/42/7-20261130T100000Z.tar.gz: the server, the backup, when; sorts by time.
  db_.sql("UPDATE backups SET object_name = CONCAT('servers/', server_id, '/', id, '-', "
          "DATE_FORMAT(created_at, '%Y%m%dT%H%i%SZ'), '.tar.gz') WHERE id = ?")
      .arg(id).update();
  tx.commit();
  return id;
}

std::vector<Backup> BackupRepository::load(const std::string& where, int64_t arg) {
  auto rs = db_.sql(std::string(kColumns) + "WHERE deleted_at IS NULL AND " + where).arg(arg).rows();
  std::vector<Backup> out;
  while (rs->next()) {
    Backup b;
    b.id = rs->getInt64(1);
    b.server_id = rs->getInt64(2);
    b.state = rs->getString(3);
    b.target = rs->getString(4);
    b.object_name = rs->getString(5);
    b.reason = rs->getString(6);
    b.taken_while_running = rs->getBoolean(7);
    b.locked = rs->getBoolean(8);
    b.bytes_read = rs->getInt64(9);
    b.bytes_stored = rs->getInt64(10);
    b.sha256 = rs->getString(11);
    b.md5 = rs->getString(12);
    b.crc32c = rs->getString(13);
    b.message = rs->getString(14);
    b.created_at = rs->getString(15);
    b.created_unix = rs->getInt64(16);
    b.sleep_first = rs->getBoolean(17);
    b.upload_session = rs->getString(18);
    out.push_back(std::move(b));
  }
  return out;
}

std::optional<Backup> BackupRepository::find(int64_t id) {
  std::vector<Backup> found = load("id = ?", id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Backup> BackupRepository::listForServer(int64_t server_id) {
  return load("server_id = ? ORDER BY id DESC", server_id);
}

int BackupRepository::countKept(int64_t server_id) {
  auto rs = db_.sql("SELECT COUNT(*) FROM backups WHERE server_id = ? AND deleted_at IS NULL AND state <> 'FAILED'")
                .arg(server_id).rows();
  return rs->next() ? rs->getInt(1) : 0;
}

std::optional<Backup> BackupRepository::oldestUnlocked(int64_t server_id) {
  std::vector<Backup> found = load("server_id = ? AND state = 'DONE' AND locked = 0 ORDER BY id LIMIT 1", server_id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

bool BackupRepository::anyInProgress(int64_t server_id) {
  auto rs = db_.sql("SELECT 1 FROM backups WHERE server_id = ? AND deleted_at IS NULL AND state IN ('QUEUED', 'RUNNING') "
                    "LIMIT 1")
                .arg(server_id).rows();
  return rs->next();
}

int64_t BackupRepository::lastOfReason(int64_t server_id, const std::string& reason) {
  auto rs = db_.sql("SELECT COALESCE(FLOOR(UNIX_TIMESTAMP(MAX(created_at))), 0) FROM backups "
                    "WHERE server_id = ? AND reason = ?")
                .arg(server_id).arg(reason).rows();
  return rs->next() ? rs->getInt64(1) : 0;
}

std::vector<int64_t> BackupRepository::dailyDue(int64_t now) {
  // Today's hour of the backup (UTC) has passed, and none was asked for since then.
  auto rs = db_.sql("SELECT s.id FROM servers s WHERE s.deleted_at IS NULL AND s.backup_daily_hour IS NOT NULL "
                    "AND s.state NOT IN ('CREATING', 'DELETING', 'DELETED') "
                    "AND s.backup_daily_hour <= HOUR(FROM_UNIXTIME(?)) "
                    "AND NOT EXISTS (SELECT 1 FROM backups b WHERE b.server_id = s.id AND b.reason = 'DAILY' "
                    "AND b.created_at >= DATE(FROM_UNIXTIME(?)) + INTERVAL s.backup_daily_hour HOUR)")
                .arg(now).arg(now).rows();
  std::vector<int64_t> out;
  while (rs->next()) out.push_back(rs->getInt64(1));
  return out;
}

bool BackupRepository::start(int64_t id, const std::string& target, bool taken_while_running) {
  if (db_.sql("UPDATE backups SET state = 'RUNNING', target = ?, taken_while_running = ?, message = '' "
              "WHERE id = ? AND state IN ('QUEUED', 'RUNNING') AND deleted_at IS NULL")
          .arg(target).arg(taken_while_running).arg(id).update() == 1)
    return true;
  // A job taken again after an agent restart finds its row RUNNING already,
  // with nothing to change: MariaDB counts no affected row then.
  auto rs = db_.sql("SELECT 1 FROM backups WHERE id = ? AND state = 'RUNNING' AND deleted_at IS NULL").arg(id).rows();
  return rs->next();
}

void BackupRepository::setUploadSession(int64_t id, const std::string& session) {
  Query q = db_.sql("UPDATE backups SET upload_session = ? WHERE id = ?");
  if (session.empty()) q.argNull();
  else q.arg(session);
  q.arg(id).updateUnseenByPages();
}

void BackupRepository::progress(int64_t id, int64_t bytes_read, int64_t bytes_stored) {
  db_.sql("UPDATE backups SET bytes_read = ?, bytes_stored = ? WHERE id = ?")
      .arg(bytes_read).arg(bytes_stored).arg(id).updateUnseenByPages();
}

void BackupRepository::succeed(int64_t id, int64_t bytes_read, int64_t bytes_stored, const std::string& sha256,
                               const std::string& md5, const std::string& crc32c) {
  db_.sql("UPDATE backups SET state = 'DONE', bytes_read = ?, bytes_stored = ?, sha256 = ?, md5 = ?, crc32c = ?, "
          "message = '', upload_session = NULL, finished_at = UTC_TIMESTAMP(6) WHERE id = ?")
      .arg(bytes_read).arg(bytes_stored).arg(sha256).arg(md5).arg(crc32c).arg(id).update();
}

void BackupRepository::fail(int64_t id, const std::string& message) {
  db_.sql("UPDATE backups SET state = 'FAILED', message = ?, upload_session = NULL, finished_at = UTC_TIMESTAMP(6) "
          "WHERE id = ?")
      .arg(message.substr(0, 1000)).arg(id).update();
}

void BackupRepository::setLocked(int64_t id, bool locked) {
  db_.sql("UPDATE backups SET locked = ? WHERE id = ?").arg(locked).arg(id).update();
}

void BackupRepository::markDeleted(int64_t id) {
  db_.sql("UPDATE backups SET deleted_at = UTC_TIMESTAMP(6) WHERE id = ? AND deleted_at IS NULL").arg(id).update();
}

}  // namespace gsp::db
