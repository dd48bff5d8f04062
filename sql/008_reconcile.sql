-- 008: reconcile (Docker is the truth about what runs, the database about what
-- should exist) and stats history.
--
-- A game that takes longer than its `start_timeout_seconds` to accept players
-- ends in ERROR. `state_changed_at` is when the server entered its state (how
-- long it has been STARTING, STOPPING, ...). `last_crash_at` is the last exit
-- nobody asked for: a second within the crash-loop window is ERROR, and then
-- `wake_blocked` keeps players from waking it until its owner starts it again.
ALTER TABLE game_images
  ADD COLUMN start_timeout_seconds INT NOT NULL DEFAULT 300 AFTER cpu_awake_percent,
  ADD CONSTRAINT ck_game_images_start_timeout CHECK (start_timeout_seconds BETWEEN 10 AND 86400);
-- A first Minecraft start downloads the server and generates the world.
UPDATE game_images SET start_timeout_seconds = 600 WHERE slug = 'minecraft-java';

ALTER TABLE servers
  ADD COLUMN state_changed_at DATETIME(6) NULL AFTER state_message,
  ADD COLUMN last_crash_at DATETIME(6) NULL AFTER state_changed_at,
  ADD COLUMN wake_blocked TINYINT(1) NOT NULL DEFAULT 0 AFTER last_crash_at,
  -- Bytes the proxy relayed from and to players (the sum of its reports), and
  -- the sums at the last stats sample: a sample stores the difference.
  ADD COLUMN net_in_bytes BIGINT NOT NULL DEFAULT 0 AFTER activity_reported_at,
  ADD COLUMN net_out_bytes BIGINT NOT NULL DEFAULT 0 AFTER net_in_bytes,
  ADD COLUMN sampled_net_in_bytes BIGINT NOT NULL DEFAULT 0 AFTER net_out_bytes,
  ADD COLUMN sampled_net_out_bytes BIGINT NOT NULL DEFAULT 0 AFTER sampled_net_in_bytes;
UPDATE servers SET state_changed_at = updated_at;

-- What a repair found, beyond its one-line cause: the game's last log lines.
ALTER TABLE server_events ADD COLUMN detail TEXT NULL AFTER cause;

-- REPAIR: the agent looks at a server's containers and fixes what the
-- lifecycle's listing showed wrong (a crashed game, a missing proxy, ...).
ALTER TABLE jobs MODIFY kind ENUM('CREATE', 'WAKE', 'HIBERNATE', 'DELETE', 'REPAIR') NOT NULL;

-- One row a minute per running server (kept 48 hours), and hourly averages and
-- maxima (kept 30 days), written by each lifecycle pass.
ALTER TABLE stats_samples
  ADD COLUMN players INT NOT NULL DEFAULT 0 AFTER memory_bytes,
  ADD COLUMN net_in_bytes BIGINT NOT NULL DEFAULT 0 AFTER players,   -- since the previous sample
  ADD COLUMN net_out_bytes BIGINT NOT NULL DEFAULT 0 AFTER net_in_bytes;

CREATE TABLE stats_hourly (
  server_id BIGINT NOT NULL,
  hour_start DATETIME NOT NULL,
  samples INT NOT NULL,
  cpu_avg DOUBLE NOT NULL,
  cpu_max DOUBLE NOT NULL,
  memory_avg BIGINT NOT NULL,
  memory_max BIGINT NOT NULL,
  players_avg DOUBLE NOT NULL,
  players_max INT NOT NULL,
  net_in_bytes BIGINT NOT NULL,
  net_out_bytes BIGINT NOT NULL,
  PRIMARY KEY (server_id, hour_start),
  KEY ix_stats_hourly_time (hour_start),
  CONSTRAINT fk_stats_hourly_server FOREIGN KEY (server_id) REFERENCES servers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The hours whose samples were rolled up into stats_hourly (each once).
CREATE TABLE stats_rollups (
  hour_start DATETIME NOT NULL PRIMARY KEY,
  rolled_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
