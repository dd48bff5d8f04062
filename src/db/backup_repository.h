// Backups (sql/009_backups.sql): queued by gsp-web (and the lifecycle), taken,
// restored and deleted by gsp-agent's jobs, listed on the server page.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace gsp::db {

struct Backup {
  int64_t id = 0;
  int64_t server_id = 0;
  std::string state;  // QUEUED, RUNNING, DONE, FAILED
  std::string target;  // empty until the agent takes it
  std::string object_name;
  std::string upload_session;  // a resumable upload's URI while one is open (gcs)
  std::string reason;  // MANUAL, ON_SLEEP, DAILY
  bool taken_while_running = false;
  bool sleep_first = false;  // the owner asked for the server to sleep before it is taken
  bool locked = false;
  int64_t bytes_read = 0;
  int64_t bytes_stored = 0;
  std::string sha256;  // hex; empty until DONE
  std::string md5;
  std::string crc32c;
  std::string message;
  std::string created_at;  // "YYYY-MM-DD HH:MM:SS" UTC
  int64_t created_unix = 0;
};

class BackupRepository {
 public:
  explicit BackupRepository(Database& db) : db_(db) {}

  // A QUEUED backup of the server; its object is named from its id. The agent
  // records the target when it takes it (the target is its configuration).
  int64_t create(int64_t server_id, const std::string& reason, int64_t requested_by_user_id, bool sleep_first = false);

  std::optional<Backup> find(int64_t id);  // not deleted
  // The server's backups, newest first (deleted ones left out).
  std::vector<Backup> listForServer(int64_t server_id);
  // Backups that count towards the server's limit: QUEUED, RUNNING and DONE.
  int countKept(int64_t server_id);
  // The oldest DONE backup that is not locked, if any (the one rotation removes).
  std::optional<Backup> oldestUnlocked(int64_t server_id);
  // Whether a backup of the server is being taken (QUEUED or RUNNING).
  bool anyInProgress(int64_t server_id);

  // When the server's newest backup for `reason` was asked for (unix; 0: never).
  int64_t lastOfReason(int64_t server_id, const std::string& reason);
  // Servers whose daily backup is due at `now` (their hour has come today and
  // no DAILY backup was asked for since): their ids.
  std::vector<int64_t> dailyDue(int64_t now);

  // QUEUED -> RUNNING on `target`; false when it is not QUEUED (already taken, or deleted).
  bool start(int64_t id, const std::string& target, bool taken_while_running);
  // The open upload's session URI, kept so a restarted agent can go on with it.
  void setUploadSession(int64_t id, const std::string& session);
  // Progress figures the page shows; not seen by cached pages.
  void progress(int64_t id, int64_t bytes_read, int64_t bytes_stored);
  void succeed(int64_t id, int64_t bytes_read, int64_t bytes_stored, const std::string& sha256,
               const std::string& md5, const std::string& crc32c);
  void fail(int64_t id, const std::string& message);
  void setLocked(int64_t id, bool locked);
  void markDeleted(int64_t id);

 private:
  std::vector<Backup> load(const std::string& where, int64_t arg);
  Database& db_;
};

}  // namespace gsp::db
