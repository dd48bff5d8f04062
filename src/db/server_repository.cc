#include "db/server_repository.h"

#include <cppconn/exception.h>

#include <algorithm>
#include <random>
#include <set>
#include <tuple>

namespace gsp::db {

using domain::ServerState;

namespace {

const int kDuplicateKey = 1062;

void sortPorts(std::vector<ServerPort>* ports) {
  std::sort(ports->begin(), ports->end(), [](const ServerPort& a, const ServerPort& b) {
    return std::tie(a.public_port, a.protocol) < std::tie(b.public_port, b.protocol);
  });
}

}  // namespace

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
  for (ServerSummary& s : servers) sortPorts(&s.ports);
  return servers;
}

Status ServerRepository::allocatePorts(int64_t server_id, const NewServer& server) {
  if (server.ports.empty()) return Status::ok();
  int lowest = server.ports.front().internal_port, highest = lowest;
  for (const GamePort& p : server.ports) {
    lowest = std::min(lowest, p.internal_port);
    highest = std::max(highest, p.internal_port);
  }
  const int span = highest - lowest;
  // Locks the range, so concurrent creations take turns instead of colliding.
  auto rs = db_.sql("SELECT public_port FROM server_ports WHERE public_port BETWEEN ? AND ? FOR UPDATE")
                .arg(server.port_min).arg(server.port_max).rows();
  std::set<int> used;
  while (rs->next()) used.insert(rs->getInt(1));
  std::vector<int> bases;
  for (int base = server.port_min; base + span <= server.port_max; ++base) {
    bool free = true;
    for (const GamePort& p : server.ports) free = free && !used.count(base + p.internal_port - lowest);
    if (free) bases.push_back(base);
  }
  if (bases.empty()) return Status::unavailable("There are no free public ports left on this host. Please contact support.");
  // A random free block: a retry after a port that something outside the
  // platform holds lands elsewhere, and concurrent creations rarely collide.
  std::uniform_int_distribution<size_t> pick(0, bases.size() - 1);
  std::random_device seed;
  std::mt19937 random(seed());
  int base = bases[pick(random)];
  for (const GamePort& p : server.ports) {
    db_.sql("INSERT INTO server_ports (server_id, protocol, internal_port, public_port) VALUES (?, ?, ?, ?)")
        .arg(server_id).arg(p.protocol).arg(p.internal_port).arg(base + p.internal_port - lowest).update();
  }
  return Status::ok();
}

Result<int64_t> ServerRepository::create(const NewServer& server) {
  for (int attempt = 0;; ++attempt) {
    try {
      Transaction tx(db_);
      if (server.max_servers > 0) {
        // The user's row lock serialises that user's creations: two at once cannot both pass the count.
        db_.sql("SELECT id FROM users WHERE id = ? FOR UPDATE").arg(server.user_id).rows();
        auto count = db_.sql("SELECT COUNT(*) FROM servers WHERE user_id = ? AND deleted_at IS NULL")
                         .arg(server.user_id).rows();
        if (count->next() && count->getInt(1) >= server.max_servers)
          return Status::forbidden("You have " + std::to_string(server.max_servers) +
                                   " servers, the most one account may have. Delete one first, or ask support "
                                   "for a higher limit.");
      }
      auto taken = db_.sql("SELECT 1 FROM servers WHERE user_id = ? AND name = ? AND deleted_at IS NULL")
                       .arg(server.user_id).arg(server.name).rows();
      if (taken->next()) return Status::conflict("You already have a server named '" + server.name + "'.");
      db_.sql("INSERT INTO servers (user_id, game_image_id, name, state, webhook_secret) VALUES (?, ?, ?, 'CREATING', ?)")
          .arg(server.user_id).arg(server.game_image_id).arg(server.name).arg(server.webhook_secret).update();
      int64_t id = db_.lastInsertId();
      Status ports = allocatePorts(id, server);
      if (!ports.isOk()) return ports;
      db_.sql("INSERT INTO server_events (server_id, from_state, to_state, cause) VALUES (?, '', 'CREATING', ?)")
          .arg(id).arg("created by its owner").update();
      tx.commit();
      return id;
    } catch (const sql::SQLException& e) {
      // Another creation took a port between our read and insert: try again.
      if (e.getErrorCode() != kDuplicateKey || attempt >= 4) throw;
    }
  }
}

Status ServerRepository::reassignPorts(int64_t id, const std::vector<GamePort>& game_ports, int port_min,
                                       int port_max) {
  NewServer shape;
  shape.ports = game_ports;
  shape.port_min = port_min;
  shape.port_max = port_max;
  for (int attempt = 0;; ++attempt) {
    try {
      Transaction tx(db_);
      // The old block stays taken while the new one is chosen: it is the one that failed.
      auto rs = db_.sql("SELECT id FROM server_ports WHERE server_id = ?").arg(id).rows();
      std::vector<int64_t> old;
      while (rs->next()) old.push_back(rs->getInt64(1));
      Status ports = allocatePorts(id, shape);
      if (!ports.isOk()) return ports;
      for (int64_t row : old) db_.sql("DELETE FROM server_ports WHERE id = ?").arg(row).update();
      tx.commit();
      return Status::ok();
    } catch (const sql::SQLException& e) {
      if (e.getErrorCode() != kDuplicateKey || attempt >= 4) throw;
    }
  }
}

std::vector<ServerRecord> ServerRepository::load(const std::string& where, int64_t a, int64_t b) {
  auto rs = db_.sql("SELECT s.id, s.user_id, s.game_image_id, s.name, s.state, s.state_message, "
                    "COALESCE(s.proxy_container_id, ''), COALESCE(s.game_container_id, ''), "
                    "COALESCE(s.network_name, ''), COALESCE(s.volume_name, ''), s.webhook_secret, "
                    "COALESCE(DATE_FORMAT(s.last_activity_at, '%Y-%m-%d %H:%i:%s'), ''), "
                    "DATE_FORMAT(s.created_at, '%Y-%m-%d %H:%i:%s'), s.live_tcp_connections, s.live_udp_sessions, "
                    "p.protocol, p.internal_port, p.public_port, "
                    "COALESCE(FLOOR(UNIX_TIMESTAMP(s.last_activity_at)), 0), "
                    "COALESCE(FLOOR(UNIX_TIMESTAMP(s.running_since)), 0), COALESCE(FLOOR(UNIX_TIMESTAMP(s.paid_until)), 0), "
                    "COALESCE(FLOOR(UNIX_TIMESTAMP(s.keep_awake_until)), 0), "
                    "COALESCE(FLOOR(UNIX_TIMESTAMP(s.state_changed_at)), 0), "
                    "COALESCE(FLOOR(UNIX_TIMESTAMP(s.last_crash_at)), 0), s.wake_blocked, s.backup_on_sleep, "
                    "COALESCE(s.backup_daily_hour, -1) "
                    "FROM servers s LEFT JOIN server_ports p ON p.server_id = s.id "
                    "WHERE s.deleted_at IS NULL AND " + where + " ORDER BY s.id")
                .arg(a).arg(b).rows();
  std::vector<ServerRecord> out;
  while (rs->next()) {
    int64_t id = rs->getInt64(1);
    if (out.empty() || out.back().id != id) {
      ServerRecord r;
      r.id = id;
      r.user_id = rs->getInt64(2);
      r.game_image_id = rs->getInt(3);
      r.name = rs->getString(4);
      r.state = domain::parseState(rs->getString(5)).value_or(ServerState::kError);
      r.state_message = rs->getString(6);
      r.proxy_container_id = rs->getString(7);
      r.game_container_id = rs->getString(8);
      r.network_name = rs->getString(9);
      r.volume_name = rs->getString(10);
      r.webhook_secret = rs->getString(11);
      r.last_activity_at = rs->getString(12);
      r.created_at = rs->getString(13);
      r.live_tcp_connections = rs->getInt(14);
      r.live_udp_sessions = rs->getInt(15);
      r.last_activity_unix = rs->getInt64(19);
      r.running_since_unix = rs->getInt64(20);
      r.paid_until_unix = rs->getInt64(21);
      r.keep_awake_until_unix = rs->getInt64(22);
      r.state_since_unix = rs->getInt64(23);
      r.last_crash_unix = rs->getInt64(24);
      r.wake_blocked = rs->getBoolean(25);
      r.backup_on_sleep = rs->getBoolean(26);
      r.backup_daily_hour = rs->getInt(27);
      out.push_back(std::move(r));
    }
    if (!rs->isNull(16)) out.back().ports.push_back({rs->getString(16), rs->getInt(17), rs->getInt(18)});
  }
  for (ServerRecord& r : out) sortPorts(&r.ports);
  return out;
}

std::optional<ServerRecord> ServerRepository::find(int64_t id) {
  auto found = load("s.id = ? AND ? = 0", id, 0);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<ServerRecord> ServerRepository::findOwned(int64_t id, int64_t user_id, bool is_admin) {
  auto found = is_admin ? load("s.id = ? AND ? = 0", id, 0) : load("s.id = ? AND s.user_id = ?", id, user_id);
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<ServerRepository::Running> ServerRepository::runningForUser(int64_t user_id) {
  auto rs = db_.sql("SELECT s.id, s.name, g.price_cents_per_hour, COALESCE(FLOOR(UNIX_TIMESTAMP(s.paid_until)), 0) "
                    "FROM servers s JOIN game_images g ON g.id = s.game_image_id "
                    "WHERE s.user_id = ? AND s.state = 'RUNNING' AND s.deleted_at IS NULL ORDER BY s.id")
                .arg(user_id).rows();
  std::vector<Running> out;
  while (rs->next()) out.push_back({rs->getInt64(1), rs->getString(2), rs->getInt64(3), rs->getInt64(4)});
  return out;
}

bool ServerRepository::isDeletedAndOwned(int64_t id, int64_t user_id, bool is_admin) {
  auto rs = db_.sql("SELECT 1 FROM servers WHERE id = ? AND deleted_at IS NOT NULL AND (user_id = ? OR ?)")
                .arg(id).arg(user_id).arg(is_admin).rows();
  return rs->next();
}

bool ServerRepository::transition(int64_t id, ServerState from, ServerState to, const std::string& cause,
                                  const std::string& message) {
  TransitionNote note;
  note.message = message;
  return transition(id, from, to, cause, note);
}

bool ServerRepository::transition(int64_t id, ServerState from, ServerState to, const std::string& cause,
                                  const TransitionNote& note) {
  Transaction tx(db_);
  const char* to_name = domain::stateName(to);
  // running_since: when it last became RUNNING (where charging starts after a sleep).
  int changed = db_.sql("UPDATE servers SET state = ?, state_message = ?, state_changed_at = UTC_TIMESTAMP(6), "
                        "running_since = IF(? = 'RUNNING', UTC_TIMESTAMP(6), running_since), "
                        "last_crash_at = IF(?, UTC_TIMESTAMP(6), last_crash_at), wake_blocked = ? "
                        "WHERE id = ? AND state = ? AND deleted_at IS NULL")
                    .arg(to_name).arg(note.message.substr(0, 500)).arg(to_name).arg(note.crash)
                    .arg(to == ServerState::kError && note.block_wakes).arg(id).arg(domain::stateName(from))
                    .update();
  if (changed != 1) return false;
  db_.sql("INSERT INTO server_events (server_id, from_state, to_state, cause, detail) VALUES (?, ?, ?, ?, ?)")
      .arg(id).arg(domain::stateName(from)).arg(to_name).arg(cause.substr(0, 500)).arg(note.detail.substr(0, 8000))
      .update();
  tx.commit();
  return true;
}

void ServerRepository::setBackupSchedule(int64_t id, bool on_sleep, int daily_hour) {
  Query q = db_.sql("UPDATE servers SET backup_on_sleep = ?, backup_daily_hour = ? WHERE id = ?");
  q.arg(on_sleep);
  if (daily_hour >= 0 && daily_hour <= 23) q.arg(daily_hour);
  else q.argNull();
  q.arg(id).update();
}

void ServerRepository::recordEvent(int64_t id, const std::string& cause, const std::string& detail) {
  db_.sql("INSERT INTO server_events (server_id, from_state, to_state, cause, detail) "
          "SELECT id, state, state, ?, ? FROM servers WHERE id = ?")
      .arg(cause.substr(0, 500)).arg(detail.substr(0, 8000)).arg(id).update();
}

void ServerRepository::setDockerObjects(int64_t id, const std::string& network, const std::string& volume,
                                        const std::string& proxy_container, const std::string& game_container) {
  db_.sql("UPDATE servers SET network_name = ?, volume_name = ?, proxy_container_id = ?, game_container_id = ? WHERE id = ?")
      .arg(network).arg(volume).arg(proxy_container).arg(game_container).arg(id).update();
}

void ServerRepository::markDeleted(int64_t id, const std::string& cause) {
  Transaction tx(db_);
  auto rs = db_.sql("SELECT state FROM servers WHERE id = ? FOR UPDATE").arg(id).rows();
  std::string from = rs->next() ? std::string(rs->getString(1)) : std::string("");
  db_.sql("DELETE FROM server_ports WHERE server_id = ?").arg(id).update();
  db_.sql("UPDATE servers SET state = 'DELETED', deleted_at = UTC_TIMESTAMP(6) WHERE id = ?").arg(id).update();
  db_.sql("INSERT INTO server_events (server_id, from_state, to_state, cause) VALUES (?, ?, 'DELETED', ?)")
      .arg(id).arg(from).arg(cause.substr(0, 500)).update();
  tx.commit();
}

void ServerRepository::keepAwakeUntil(int64_t id, int64_t until) {
  db_.sql("UPDATE servers SET keep_awake_until = FROM_UNIXTIME(?) WHERE id = ?").arg(until).arg(id).update();
}

void ServerRepository::noteWakeByTraffic(int64_t id) {
  db_.sql("UPDATE servers SET woken_by_traffic = 1 WHERE id = ?").arg(id).updateUnseenByPages();
}

void ServerRepository::noteWakeByOwner(int64_t id) {
  db_.sql("UPDATE servers SET woken_by_traffic = 0, phantom_wakes = 0, traffic_wakes_paused_until = NULL WHERE id = ?")
      .arg(id).update();
}

bool ServerRepository::trafficWakesPaused(int64_t id, std::string* until_utc) {
  auto rs = db_.sql("SELECT DATE_FORMAT(traffic_wakes_paused_until, '%Y-%m-%d %H:%i') FROM servers "
                    "WHERE id = ? AND traffic_wakes_paused_until > UTC_TIMESTAMP(6)")
                .arg(id).rows();
  if (!rs->next()) return false;
  *until_utc = rs->getString(1);
  return true;
}

void ServerRepository::notePhantomWake(int64_t id, int pause_after, int pause_minutes) {
  // A phantom: woken by traffic, and no player's traffic since it began to run.
  // Reports carry whole seconds, and the proxy relays the waking player a moment
  // before RUNNING is recorded: 2 s of slack, or a player who left at once
  // would count as nobody (the soak found it).
  // (MariaDB assigns left to right: the pause reads the count before its update.)
  const char* phantom =
      "(woken_by_traffic = 1 AND (last_activity_at IS NULL OR last_activity_at < running_since - INTERVAL 2 SECOND))";
  db_.sql(std::string("UPDATE servers SET traffic_wakes_paused_until = IF(") + phantom +
          " AND phantom_wakes + 1 >= ?, UTC_TIMESTAMP(6) + INTERVAL ? MINUTE, traffic_wakes_paused_until), "
          "phantom_wakes = IF(" + phantom + ", phantom_wakes + 1, 0), woken_by_traffic = 0 WHERE id = ?")
      .arg(pause_after).arg(pause_minutes).arg(id).update();
}

void ServerRepository::recordActivity(int64_t id, int tcp_connections, int udp_sessions, int64_t last_traffic_unix,
                                      int64_t bytes_in, int64_t bytes_out) {
  // Reports may arrive out of order: the last traffic time only moves forward.
  // The dashboard and billing pages show none of these figures (the server's
  // own page, which does, is never cached).
  db_.sql("UPDATE servers SET live_tcp_connections = ?, live_udp_sessions = ?, activity_reported_at = UTC_TIMESTAMP(6), "
          "last_activity_at = IF(? > 0, GREATEST(COALESCE(last_activity_at, FROM_UNIXTIME(0)), FROM_UNIXTIME(?)), "
          "last_activity_at), net_in_bytes = net_in_bytes + ?, net_out_bytes = net_out_bytes + ? WHERE id = ?")
      .arg(tcp_connections).arg(udp_sessions).arg(last_traffic_unix).arg(last_traffic_unix).arg(bytes_in)
      .arg(bytes_out).arg(id)
      .updateUnseenByPages();
}

std::vector<ServerEvent> ServerRepository::events(int64_t id, int limit) {
  auto rs = db_.sql("SELECT DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), from_state, to_state, cause, "
                    "COALESCE(detail, '') FROM server_events WHERE server_id = ? ORDER BY id DESC LIMIT ?")
                .arg(id).arg(limit).rows();
  std::vector<ServerEvent> out;
  while (rs->next())
    out.push_back({rs->getString(1), rs->getString(2), rs->getString(3), rs->getString(4), rs->getString(5)});
  return out;
}

}  // namespace gsp::db
