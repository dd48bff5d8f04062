#include "db/catalog_repository.h"

#include <sstream>

namespace gsp::db {

namespace {

// "CHOWN, SETUID" -> {"CHOWN", "SETUID"}; anything but A-Z and _ is not a capability name.
std::vector<std::string> capabilityList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string name;
  while (std::getline(in, name, ',')) {
    name.erase(0, name.find_first_not_of(' '));
    name.erase(name.find_last_not_of(' ') + 1);
    if (!name.empty() && name.size() <= 32 && name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ_") == std::string::npos)
      out.push_back(name);
  }
  return out;
}

}  // namespace

std::vector<GameImage> CatalogRepository::load(const std::string& where, int id) {
  auto rs = db_.sql("SELECT g.id, g.slug, g.friendly_name, g.description, g.docker_image, g.data_path, g.default_env, "
                    "g.min_ram_mb, g.min_cpu_millis, g.price_cents_per_hour, g.idle_minutes, g.minecraft_aware, "
                    "p.protocol, p.internal_port, g.cap_add, g.pids_limit, g.nofile_limit, g.start_timeout_seconds, g.backup_limit, "
                    "g.query_protocol, g.query_port, g.steam_app_id "
                    "FROM game_images g LEFT JOIN game_image_ports p ON p.game_image_id = g.id "
                    "WHERE " + where + " ORDER BY g.price_cents_per_hour, g.id, p.internal_port, p.protocol")
                .arg(id).rows();
  std::vector<GameImage> images;
  while (rs->next()) {
    int image_id = rs->getInt(1);
    if (images.empty() || images.back().id != image_id) {
      GameImage g;
      g.id = image_id;
      g.slug = rs->getString(2);
      g.friendly_name = rs->getString(3);
      g.description = rs->getString(4);
      g.docker_image = rs->getString(5);
      g.data_path = rs->getString(6);
      g.default_env = rs->getString(7);
      g.min_ram_mb = rs->getInt(8);
      g.min_cpu_millis = rs->getInt(9);
      g.price_cents_per_hour = rs->getInt64(10);
      g.idle_minutes = rs->getInt(11);
      g.minecraft_aware = rs->getBoolean(12);
      g.cap_add = capabilityList(rs->getString(15));
      g.pids_limit = rs->getInt(16);
      g.nofile_limit = rs->getInt(17);
      g.start_timeout_seconds = rs->getInt(18);
      g.backup_limit = rs->getInt(19);
      g.query_protocol = rs->getString(20);
      g.query_port = rs->getInt(21);
      g.steam_app_id = rs->getInt64(22);
      images.push_back(std::move(g));
    }
    if (!rs->isNull(13)) images.back().ports.push_back({rs->getString(13), rs->getInt(14)});
  }
  return images;
}

std::vector<GameImage> CatalogRepository::listEnabled() { return load("g.enabled = 1 AND ? = 0", 0); }

std::optional<GameImage> CatalogRepository::findEnabled(int id) {
  auto images = load("g.enabled = 1 AND g.id = ?", id);
  if (images.empty()) return std::nullopt;
  return images.front();
}

std::optional<GameImage> CatalogRepository::find(int id) {
  auto images = load("g.id = ?", id);
  if (images.empty()) return std::nullopt;
  return images.front();
}

}  // namespace gsp::db
