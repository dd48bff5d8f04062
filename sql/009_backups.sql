-- 009: backups of a server's data (its game's data path), taken by gsp-agent
-- as jobs and kept on a target (backup.local-dir today). A backup is QUEUED,
-- RUNNING (bytes read from the game and stored so far), then DONE with its
-- size and sums, or FAILED with a reason for the owner. Deleting a backup
-- removes its object; the row stays (deleted_at) for the history.
ALTER TABLE game_images
  ADD COLUMN backup_limit INT NOT NULL DEFAULT 5 AFTER start_timeout_seconds,
  ADD CONSTRAINT ck_game_images_backup_limit CHECK (backup_limit BETWEEN 1 AND 100);

CREATE TABLE backups (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  server_id BIGINT NOT NULL,
  state ENUM('QUEUED', 'RUNNING', 'DONE', 'FAILED') NOT NULL DEFAULT 'QUEUED',
  target VARCHAR(16) NOT NULL,            -- "local"
  object_name VARCHAR(255) NOT NULL,      -- "servers/42/7-20261130T100000Z.tar.gz" on the target
  reason ENUM('MANUAL', 'ON_SLEEP', 'DAILY') NOT NULL DEFAULT 'MANUAL',
  taken_while_running TINYINT(1) NOT NULL DEFAULT 0,
  locked TINYINT(1) NOT NULL DEFAULT 0,   -- never removed by rotation
  bytes_read BIGINT NOT NULL DEFAULT 0,   -- of the game's data (tar), so far
  bytes_stored BIGINT NOT NULL DEFAULT 0, -- compressed, on the target, so far
  sha256 CHAR(64) CHARACTER SET ascii NULL,
  md5 VARCHAR(24) CHARACTER SET ascii NULL,
  crc32c VARCHAR(8) CHARACTER SET ascii NULL,
  message VARCHAR(1000) NOT NULL DEFAULT '',
  requested_by_user_id BIGINT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  finished_at DATETIME(6) NULL,
  deleted_at DATETIME(6) NULL,
  KEY ix_backups_server (server_id, deleted_at, id),
  CONSTRAINT fk_backups_server FOREIGN KEY (server_id) REFERENCES servers (id),
  CONSTRAINT fk_backups_user FOREIGN KEY (requested_by_user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- BACKUP and DELETE_BACKUP do not hold the server (a game may wake or sleep
-- while it is backed up): their active_server_id stays NULL. RESTORE does.
ALTER TABLE jobs
  MODIFY kind ENUM('CREATE', 'WAKE', 'HIBERNATE', 'DELETE', 'REPAIR', 'BACKUP', 'RESTORE', 'DELETE_BACKUP') NOT NULL,
  ADD COLUMN backup_id BIGINT NULL AFTER server_id,
  ADD CONSTRAINT fk_jobs_backup FOREIGN KEY (backup_id) REFERENCES backups (id);
