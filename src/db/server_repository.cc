#include "db/server_repository.h"

#include <algorithm>
#include <tuple>

namespace gsp::db {

std::vector<ServerSummary> ServerRepository::listForUser(int64_t user_id) {
  // One round trip: servers with their ports, one row per port (or one row with NULLs).
  auto rs = db_.sql("SELECT s.id, s.name, g.friendly_name, s.state, g.price_cents_per_hour, "
                    "p.protocol, p.internal_port, p.public_port "
                    "FROM servers s JOIN game_images g ON g.id = s.game_image_id "
                    "LEFT JOIN server_ports p ON p.server_id = s.id "
                    "WHERE s.user_id = ? AND s.deleted_at IS NULL ORDER BY s.id")
                .arg(user_id).rows();
  std::vector<ServerSummary> servers;
  while (rs->next()) {
    int64_t id = rs->getInt64(1);
    if (servers.empty() || servers.back().id != id) {
      ServerSummary s;
      s.id = id;
      s.name = rs->getString(2);
      s.game_name = rs->getString(3);
      s.state = rs->getString(4);
      s.price_cents_per_hour = rs->getInt64(5);
      servers.push_back(std::move(s));
    }
    if (!rs->isNull(6)) servers.back().ports.push_back({rs->getString(6), rs->getInt(7), rs->getInt(8)});
  }
  // Sorting the few ports here spares the database a temporary table.
  for (ServerSummary& s : servers) {
    std::sort(s.ports.begin(), s.ports.end(), [](const ServerPort& a, const ServerPort& b) {
      return std::tie(a.public_port, a.protocol) < std::tie(b.public_port, b.protocol);
    });
  }
  return servers;
}

}  // namespace gsp::db
