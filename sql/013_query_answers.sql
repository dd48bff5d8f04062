-- 013: server-browser queries the sidecar answers while a game sleeps
-- (gsp-proxy --query): the protocol, the game's port it arrives on, and
-- Steam's app id for A2S. Valheim answers A2S on its game port + 1;
-- Satisfactory's lightweight query shares its UDP game port.
ALTER TABLE game_images
  ADD COLUMN query_protocol VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT '' AFTER minecraft_aware,
  ADD COLUMN query_port INT NOT NULL DEFAULT 0 AFTER query_protocol,
  ADD COLUMN steam_app_id INT UNSIGNED NOT NULL DEFAULT 0 AFTER query_port;
UPDATE game_images SET query_protocol = 'a2s', query_port = 2457, steam_app_id = 892970 WHERE slug = 'valheim';
UPDATE game_images SET query_protocol = 'satisfactory', query_port = 7777 WHERE slug = 'satisfactory';
