-- 002: the game catalog shipped with the platform. Prices are cents per hour.

INSERT INTO game_images (slug, friendly_name, description, docker_image, default_internal_port, data_path,
                         default_env, min_ram_mb, min_cpu_millis, price_cents_per_hour, idle_minutes,
                         minecraft_aware)
VALUES
  ('minecraft-java', 'Minecraft Java', 'The Java Edition server, vanilla by default.',
   'itzg/minecraft-server', 25565, '/data', '{"EULA":"TRUE"}', 2048, 1000, 12, 15, 1),
  ('valheim', 'Valheim', 'Dedicated Valheim server for you and your Vikings.',
   'lloesche/valheim-server', 2456, '/config', '{"SERVER_NAME":"My Valheim server"}', 4096, 2000, 18, 15, 0),
  ('satisfactory', 'Satisfactory', 'Dedicated Satisfactory server for co-op factories.',
   'wolveix/satisfactory-server', 7777, '/config', '{}', 8192, 2000, 30, 15, 0),
  ('demo-game', 'Demo Game', 'A tiny echo game built on this machine: try the platform offline.',
   'gsp-demo-game:0.1.0', 7000, '/data', '{}', 64, 250, 1, 15, 0);

INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT id, 'tcp', 25565 FROM game_images WHERE slug = 'minecraft-java';
INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT id, 'udp', 2456 FROM game_images WHERE slug = 'valheim';
INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT id, 'udp', 2457 FROM game_images WHERE slug = 'valheim';
INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT id, 'udp', 7777 FROM game_images WHERE slug = 'satisfactory';
INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT id, 'tcp', 7777 FROM game_images WHERE slug = 'satisfactory';
INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT id, 'tcp', 7000 FROM game_images WHERE slug = 'demo-game';
INSERT INTO game_image_ports (game_image_id, protocol, internal_port)
SELECT id, 'udp', 7000 FROM game_images WHERE slug = 'demo-game';
