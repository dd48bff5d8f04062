-- 004: jobs, the operations on a server that take longer than a web request
-- should wait (create with its image pull, wake, hibernate, delete). gsp-web
-- queues them; gsp-agent, the only holder of the Docker socket, runs them and
-- writes their progress, which the server page follows (ARCHITECTURE.md, "Processes").
CREATE TABLE jobs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  server_id BIGINT NOT NULL,
  kind ENUM('CREATE', 'WAKE', 'HIBERNATE', 'DELETE') NOT NULL,
  state ENUM('QUEUED', 'RUNNING', 'DONE', 'FAILED') NOT NULL DEFAULT 'QUEUED',
  -- The server while the job is QUEUED or RUNNING, NULL once it ended: the
  -- unique key lets one operation at a time act on a server.
  active_server_id BIGINT NULL,
  -- Who asked, in words, for the server's history: "woken by a player on 203.0.113.7".
  cause VARCHAR(255) NOT NULL DEFAULT '',
  requested_by_user_id BIGINT NULL,
  -- Progress as the page shows it: "Downloading the game" 312 of 540 (MB, bytes...).
  progress_text VARCHAR(200) NOT NULL DEFAULT '',
  progress_done BIGINT NOT NULL DEFAULT 0,
  progress_total BIGINT NOT NULL DEFAULT 0,
  -- Why it failed, or what it did; for people.
  message VARCHAR(1000) NOT NULL DEFAULT '',
  -- Runs so far: an agent killed mid-job runs it again (every job is written to
  -- resume from where it stopped); past a few attempts it fails.
  attempts INT NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  started_at DATETIME(6) NULL,
  finished_at DATETIME(6) NULL,
  UNIQUE KEY uq_jobs_active_server (active_server_id),
  KEY ix_jobs_state (state, id),
  KEY ix_jobs_server (server_id, id),
  CONSTRAINT fk_jobs_server FOREIGN KEY (server_id) REFERENCES servers (id),
  CONSTRAINT fk_jobs_user FOREIGN KEY (requested_by_user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
