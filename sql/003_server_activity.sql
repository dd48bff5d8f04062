-- 003: what the sidecar proxy last reported about a server's players, shown on
-- its page and used by the idle check: connected TCP clients and UDP sessions,
-- and when the report came.
ALTER TABLE servers
  ADD COLUMN live_tcp_connections INT NOT NULL DEFAULT 0 AFTER last_activity_at,
  ADD COLUMN live_udp_sessions INT NOT NULL DEFAULT 0 AFTER live_tcp_connections,
  ADD COLUMN activity_reported_at DATETIME(6) NULL AFTER live_udp_sessions;
