// The game catalog (game_images + game_image_ports). Read-only here; changed
// by migrations. Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace gsp::db {

struct GamePort {
  std::string protocol;  // "tcp" or "udp"
  int internal_port = 0;
};

struct GameImage {
  int id = 0;
  std::string slug;
  std::string friendly_name;
  std::string description;
  std::string docker_image;
  std::string data_path;
  std::string default_env;  // JSON object text
  int min_ram_mb = 0;
  int min_cpu_millis = 0;
  int64_t price_cents_per_hour = 0;
  int idle_minutes = 15;
  bool minecraft_aware = false;
  // A server-browser query the proxy answers while the game sleeps (sql/013):
  // "" (none), "a2s" or "satisfactory", on the game's (internal) UDP port query_port.
  std::string query_protocol;
  int query_port = 0;
  int64_t steam_app_id = 0;
  // Capabilities given back after dropping all (sql/005): only well-formed
  // names ("SETUID") are kept.
  std::vector<std::string> cap_add;
  int pids_limit = 512;
  int nofile_limit = 16384;
  int start_timeout_seconds = 300;  // a game not accepting players by then ends in ERROR (sql/008)
  int backup_limit = 5;             // backups a server keeps (sql/009)
  std::vector<GamePort> ports;  // sorted by internal port, then protocol
};

class CatalogRepository {
 public:
  explicit CatalogRepository(Database& db) : db_(db) {}

  std::vector<GameImage> listEnabled();
  std::optional<GameImage> findEnabled(int id);
  std::optional<GameImage> find(int id);  // enabled or not (existing servers keep their game)

 private:
  std::vector<GameImage> load(const std::string& where, int id);
  Database& db_;
};

}  // namespace gsp::db
