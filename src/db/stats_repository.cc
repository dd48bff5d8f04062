#include "db/stats_repository.h"

#include <algorithm>

namespace gsp::db {

namespace {

// Batches go in power-of-two sizes, so the statement cache holds a handful of texts.
const size_t kMaxBatch = 64;

std::string placeholders(size_t n, const std::string& one, const std::string& between) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? between : "") + one;
  return out;
}

// Columns: period start, then the six figures in StatsPoint's order.
StatsPoint pointOf(sql::ResultSet& rs) {
  // The connector hands out long double.
  auto figure = [&rs](int column) { return static_cast<double>(rs.getDouble(column)); };
  return {rs.getInt64(1), figure(2), figure(3), figure(4), figure(5), figure(6), figure(7)};
}

}  // namespace

void StatsRepository::addSamples(int64_t at, const std::vector<UsageSample>& samples) {
  size_t done = 0;
  while (done < samples.size()) {
    size_t n = kMaxBatch;
    while (n > samples.size() - done) n /= 2;
    addBatch(at, samples.data() + done, n);
    done += n;
  }
}

void StatsRepository::addBatch(int64_t at, const UsageSample* samples, size_t n) {
  Transaction tx(db_);
  // The bytes since the previous sample, then that sample's mark moves: in one
  // transaction, so a proxy report in between is counted once.
  Query insert = db_.sql(
      "INSERT INTO stats_samples (server_id, sampled_at, cpu_percent, memory_bytes, players, net_in_bytes, net_out_bytes) "
      "SELECT s.id, FROM_UNIXTIME(?), v.cpu, v.mem, s.live_tcp_connections + s.live_udp_sessions, "
      "s.net_in_bytes - s.sampled_net_in_bytes, s.net_out_bytes - s.sampled_net_out_bytes "
      "FROM servers s JOIN (" + placeholders(n, "SELECT ? AS id, ? AS cpu, ? AS mem", " UNION ALL ") +
      ") v ON v.id = s.id");
  insert.arg(at);
  for (size_t i = 0; i < n; ++i) insert.arg(samples[i].server_id).arg(samples[i].cpu_percent).arg(samples[i].memory_bytes);
  insert.updateUnseenByPages();
  Query mark = db_.sql("UPDATE servers SET sampled_net_in_bytes = net_in_bytes, sampled_net_out_bytes = net_out_bytes "
                       "WHERE id IN (" + placeholders(n, "?", ", ") + ")");
  for (size_t i = 0; i < n; ++i) mark.arg(samples[i].server_id);
  mark.updateUnseenByPages();
  tx.commit();
}

int StatsRepository::rollUp(int64_t now) {
  const int64_t last_complete = now / 3600 * 3600 - 3600;
  int rolled = 0;
  for (int64_t hour = last_complete; hour > now - kMinuteSamplesKeptSeconds; hour -= 3600) {
    auto seen = db_.sql("SELECT 1 FROM stats_rollups WHERE hour_start = FROM_UNIXTIME(?)").arg(hour).rows();
    if (seen->next()) break;  // hours before it were rolled up by earlier passes
    Transaction tx(db_);
    db_.sql("INSERT INTO stats_hourly (server_id, hour_start, samples, cpu_avg, cpu_max, memory_avg, memory_max, "
            "players_avg, players_max, net_in_bytes, net_out_bytes) "
            "SELECT server_id, FROM_UNIXTIME(?), COUNT(*), AVG(cpu_percent), MAX(cpu_percent), AVG(memory_bytes), "
            "MAX(memory_bytes), AVG(players), MAX(players), SUM(net_in_bytes), SUM(net_out_bytes) "
            "FROM stats_samples WHERE sampled_at >= FROM_UNIXTIME(?) AND sampled_at < FROM_UNIXTIME(?) "
            "GROUP BY server_id ON DUPLICATE KEY UPDATE samples = VALUES(samples)")
        .arg(hour).arg(hour).arg(hour + 3600).updateUnseenByPages();
    db_.sql("INSERT IGNORE INTO stats_rollups (hour_start) VALUES (FROM_UNIXTIME(?))").arg(hour).updateUnseenByPages();
    tx.commit();
    ++rolled;
  }
  return rolled;
}

int StatsRepository::prune(int64_t now, int batch) {
  int removed = db_.sql("DELETE FROM stats_samples WHERE sampled_at < FROM_UNIXTIME(?) LIMIT ?")
                    .arg(now - kMinuteSamplesKeptSeconds).arg(batch).updateUnseenByPages();
  removed += db_.sql("DELETE FROM stats_hourly WHERE hour_start < FROM_UNIXTIME(?) LIMIT ?")
                 .arg(now - kHourlyKeptSeconds).arg(batch).updateUnseenByPages();
  removed += db_.sql("DELETE FROM stats_rollups WHERE hour_start < FROM_UNIXTIME(?) LIMIT ?")
                 .arg(now - kHourlyKeptSeconds).arg(batch).updateUnseenByPages();
  return removed;
}

std::vector<StatsPoint> StatsRepository::points(int64_t server_id, int64_t from, int64_t to, int bucket_seconds) {
  const int64_t bucket = std::max(60, bucket_seconds / 60 * 60);
  auto rs = db_.sql("SELECT FLOOR(UNIX_TIMESTAMP(sampled_at) / ?) * ?, AVG(cpu_percent), MAX(cpu_percent), "
                    "AVG(memory_bytes), MAX(memory_bytes), AVG(players), MAX(players) FROM stats_samples "
                    "WHERE server_id = ? AND sampled_at >= FROM_UNIXTIME(?) AND sampled_at < FROM_UNIXTIME(?) "
                    "GROUP BY 1 ORDER BY 1")
                .arg(bucket).arg(bucket).arg(server_id).arg(from).arg(to).rows();
  std::vector<StatsPoint> out;
  while (rs->next()) {
    out.push_back(pointOf(*rs));
  }
  return out;
}

std::vector<StatsPoint> StatsRepository::hourlyPoints(int64_t server_id, int64_t from, int64_t to) {
  auto rs = db_.sql("SELECT UNIX_TIMESTAMP(hour_start), cpu_avg, cpu_max, memory_avg, memory_max, players_avg, "
                    "players_max FROM stats_hourly WHERE server_id = ? AND hour_start >= FROM_UNIXTIME(?) "
                    "AND hour_start < FROM_UNIXTIME(?) ORDER BY hour_start")
                .arg(server_id).arg(from).arg(to).rows();
  std::vector<StatsPoint> out;
  while (rs->next()) {
    out.push_back(pointOf(*rs));
  }
  return out;
}

}  // namespace gsp::db
