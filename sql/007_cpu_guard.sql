-- 007: CPU as a guard against idle sleep. A game whose CPU, averaged over the
-- last 5 minutes, stays above its catalog entry's `cpu_awake_percent` (0: off)
-- is not put to sleep although nobody plays (world generation, a save in
-- progress). The lifecycle records a sample a minute for each running server
-- with no players whose game has a threshold; samples older than a day go.
ALTER TABLE game_images
  ADD COLUMN cpu_awake_percent INT NOT NULL DEFAULT 0 AFTER idle_minutes,
  ADD CONSTRAINT ck_game_images_cpu_awake CHECK (cpu_awake_percent BETWEEN 0 AND 10000);

CREATE TABLE stats_samples (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  server_id BIGINT NOT NULL,
  sampled_at DATETIME NOT NULL,
  cpu_percent DOUBLE NOT NULL,      -- 100 = one whole CPU, as `docker stats` shows
  memory_bytes BIGINT NOT NULL,
  KEY ix_stats_samples_server (server_id, sampled_at),
  KEY ix_stats_samples_time (sampled_at),
  CONSTRAINT fk_stats_samples_server FOREIGN KEY (server_id) REFERENCES servers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
