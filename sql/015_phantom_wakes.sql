-- 015: wakes by network traffic that no one plays through. A port scanner
-- sweeping the host's range connects to every sleeping server and wakes it;
-- when a server's last wakes by traffic all ended asleep again with no player
-- (phantom_wakes in a row), wakes by traffic pause for a while; the owner can
-- still start it from the dashboard, which ends the pause.
ALTER TABLE servers
  ADD COLUMN woken_by_traffic TINYINT(1) NOT NULL DEFAULT 0,
  ADD COLUMN phantom_wakes INT NOT NULL DEFAULT 0,
  ADD COLUMN traffic_wakes_paused_until DATETIME(6) NULL;
