#include "db/server_repository.h"

#include <unordered_map>

namespace gsp::db {

std::vector<ServerSummary> ServerRepository::listForUser(int64_t user_id) {
  std::vector<ServerSummary> servers;
  std::unordered_map<int64_t, size_t> index;
  auto rs = db_.sql("SELECT s.id, s.name, g.friendly_name, s.state, g.price_cents_per_hour "
                    "FROM servers s JOIN game_images g ON g.id = s.game_image_id "
                    "WHERE s.user_id = ? AND s.deleted_at IS NULL ORDER BY s.id")
                .arg(user_id).rows();
  while (rs->next()) {
    ServerSummary s;
    s.id = rs->getInt64(1);
    s.name = rs->getString(2);
    s.game_name = rs->getString(3);
    s.state = rs->getString(4);
    s.price_cents_per_hour = rs->getInt64(5);
    index[s.id] = servers.size();
    servers.push_back(std::move(s));
  }
  if (servers.empty()) return servers;
  auto ports = db_.sql("SELECT p.server_id, p.protocol, p.internal_port, p.public_port "
                       "FROM server_ports p JOIN servers s ON s.id = p.server_id "
                       "WHERE s.user_id = ? AND s.deleted_at IS NULL ORDER BY p.public_port, p.protocol")
                   .arg(user_id).rows();
  while (ports->next()) {
    auto it = index.find(ports->getInt64(1));
    if (it == index.end()) continue;
    servers[it->second].ports.push_back({ports->getString(2), ports->getInt(3), ports->getInt(4)});
  }
  return servers;
}

}  // namespace gsp::db
