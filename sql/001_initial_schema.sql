-- 001: the platform's core tables. Money is integer cents; times are UTC.
-- Applied by `gsp-admin migrate`, which records it in schema_migrations.

CREATE TABLE users (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(254) NOT NULL,
  provider VARCHAR(32) NOT NULL,
  provider_subject VARCHAR(255) NOT NULL,
  credits_cents BIGINT NOT NULL DEFAULT 0,
  is_admin TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  last_login_at DATETIME(6) NULL,
  UNIQUE KEY uq_users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the SHA-256 (hex) of a session token is stored.
CREATE TABLE sessions (
  token_hash CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  user_id BIGINT NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  expires_at DATETIME(6) NOT NULL,
  user_agent VARCHAR(255) NOT NULL DEFAULT '',
  KEY ix_sessions_user (user_id),
  KEY ix_sessions_expires (expires_at),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The game catalog.
CREATE TABLE game_images (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  slug VARCHAR(64) CHARACTER SET ascii NOT NULL,
  friendly_name VARCHAR(100) NOT NULL,
  description VARCHAR(500) NOT NULL DEFAULT '',
  docker_image VARCHAR(255) NOT NULL,
  default_internal_port INT NOT NULL,
  data_path VARCHAR(255) NOT NULL,
  default_env TEXT NOT NULL,                 -- JSON object of environment variables
  min_ram_mb INT NOT NULL,
  min_cpu_millis INT NOT NULL,               -- 1000 = one core
  price_cents_per_hour BIGINT NOT NULL,
  idle_minutes INT NOT NULL DEFAULT 15,
  minecraft_aware TINYINT(1) NOT NULL DEFAULT 0,  -- the proxy answers status pings itself
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_game_images_slug (slug),
  CONSTRAINT ck_game_images_price CHECK (price_cents_per_hour >= 0),
  CONSTRAINT ck_game_images_idle CHECK (idle_minutes > 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE game_image_ports (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  game_image_id INT NOT NULL,
  protocol ENUM('tcp', 'udp') NOT NULL,
  internal_port INT NOT NULL,
  UNIQUE KEY uq_game_image_ports (game_image_id, protocol, internal_port),
  CONSTRAINT fk_game_image_ports_image FOREIGN KEY (game_image_id) REFERENCES game_images (id) ON DELETE CASCADE,
  CONSTRAINT ck_game_image_ports_port CHECK (internal_port BETWEEN 1 AND 65535)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A deleted server keeps its row (deleted_at set) so the ledger can still name it.
CREATE TABLE servers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  game_image_id INT NOT NULL,
  name VARCHAR(64) NOT NULL,
  state ENUM('CREATING', 'SLEEPING', 'STARTING', 'RUNNING', 'STOPPING', 'ERROR', 'DELETING', 'DELETED')
    NOT NULL DEFAULT 'CREATING',
  state_message VARCHAR(500) NOT NULL DEFAULT '',
  proxy_container_id VARCHAR(80) NULL,
  game_container_id VARCHAR(80) NULL,
  network_name VARCHAR(128) NULL,
  volume_name VARCHAR(128) NULL,
  webhook_secret CHAR(64) CHARACTER SET ascii NOT NULL,
  last_activity_at DATETIME(6) NULL,
  running_since DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  updated_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  deleted_at DATETIME(6) NULL,
  KEY ix_servers_user (user_id, deleted_at),
  KEY ix_servers_state (state),
  CONSTRAINT fk_servers_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_servers_image FOREIGN KEY (game_image_id) REFERENCES game_images (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Public ports: the unique key is what guarantees one port is never given to two servers.
CREATE TABLE server_ports (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  server_id BIGINT NOT NULL,
  protocol ENUM('tcp', 'udp') NOT NULL,
  internal_port INT NOT NULL,
  public_port INT NOT NULL,
  UNIQUE KEY uq_server_ports_public (protocol, public_port),
  KEY ix_server_ports_server (server_id),
  CONSTRAINT fk_server_ports_server FOREIGN KEY (server_id) REFERENCES servers (id) ON DELETE CASCADE,
  CONSTRAINT ck_server_ports_public CHECK (public_port BETWEEN 1 AND 65535)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The ledger. users.credits_cents always equals SUM(amount_cents) of the user's rows.
-- (server_id, period_start) keys an hourly charge so a rerun never charges twice;
-- (user_id, idempotency_key) makes a resubmitted deposit count once.
CREATE TABLE transactions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  amount_cents BIGINT NOT NULL,
  balance_after_cents BIGINT NOT NULL,
  type ENUM('DEPOSIT', 'SIGNUP_CREDIT', 'HOURLY_CHARGE', 'REFUND', 'ADJUSTMENT') NOT NULL,
  description VARCHAR(255) NOT NULL DEFAULT '',
  server_id BIGINT NULL,
  period_start DATETIME NULL,
  idempotency_key CHAR(32) CHARACTER SET ascii NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_transactions_user (user_id, id),
  UNIQUE KEY uq_transactions_idempotency (user_id, idempotency_key),
  UNIQUE KEY uq_transactions_period (server_id, period_start),
  CONSTRAINT fk_transactions_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT fk_transactions_server FOREIGN KEY (server_id) REFERENCES servers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every state change of a server, with its cause, for the server page's timeline.
CREATE TABLE server_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  server_id BIGINT NOT NULL,
  from_state VARCHAR(16) NOT NULL,
  to_state VARCHAR(16) NOT NULL,
  cause VARCHAR(500) NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_server_events_server (server_id, id),
  CONSTRAINT fk_server_events_server FOREIGN KEY (server_id) REFERENCES servers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
