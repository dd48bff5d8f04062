#include "web/server_charts.h"

#include <algorithm>

#include "db/ledger_repository.h"
#include "db/stats_repository.h"
#include "web/chart_svg.h"

namespace gsp::web {

namespace {

struct RangeShape {
  ChartRange range;
  const char* name;
  int64_t span_seconds;
  int bucket_seconds;  // a point per bucket; 3600: the hourly rows
};
const RangeShape kRanges[] = {
    {ChartRange::kHour, "1h", 3600, 60},
    {ChartRange::kDay, "24h", 86400, 300},
    {ChartRange::kWeek, "7d", 7 * 86400, 3600},
};

const RangeShape& shapeOf(ChartRange range) {
  for (const RangeShape& r : kRanges) {
    if (r.range == range) return r;
  }
  return kRanges[1];
}

}  // namespace

std::optional<ChartRange> parseChartRange(const std::string& text) {
  for (const RangeShape& r : kRanges) {
    if (text == r.name) return r.range;
  }
  return std::nullopt;
}

const char* chartRangeName(ChartRange range) { return shapeOf(range).name; }

ServerCharts buildServerCharts(db::Database& db, int64_t server_id, ChartRange range, int64_t now, int cpu_millis,
                               int ram_mb) {
  const RangeShape& shape = shapeOf(range);
  const int64_t from = now - shape.span_seconds;
  db::StatsRepository stats(db);
  std::vector<db::StatsPoint> points = shape.bucket_seconds == 3600
                                           ? stats.hourlyPoints(server_id, from, now + 1)
                                           : stats.points(server_id, from, now + 1, shape.bucket_seconds);
  auto spec = [&](const char* title, const char* unit, double min_top) {
    ChartSpec s;
    s.title = title;
    s.unit = unit;
    s.from_unix = from;
    s.to_unix = now;
    s.step_seconds = shape.bucket_seconds;
    s.min_top = min_top;
    return s;
  };
  ChartSpec cpu = spec("CPU", "%", std::max(1.0, cpu_millis / 10.0));
  ChartSpec memory = spec("Memory", "MiB", std::max(1, ram_mb));
  ChartSpec players = spec("Players", "players", 4);
  const double mib = 1048576.0;
  for (const db::StatsPoint& p : points) {
    cpu.points.push_back({p.unix, p.cpu_avg, p.cpu_max});
    memory.points.push_back({p.unix, p.memory_avg / mib, p.memory_max / mib});
    players.points.push_back({p.unix, p.players_avg, p.players_max});
  }
  return {renderChartSvg(cpu), renderChartSvg(memory), renderChartSvg(players)};
}

std::vector<DayCost> lastWeekCosts(db::Database& db, int64_t server_id, int64_t now) {
  const int64_t today = now / 86400 * 86400;
  std::vector<DayCost> days;
  for (int64_t d = today - 6 * 86400; d <= today; d += 86400) days.push_back({d, 0, 0});
  for (const db::LedgerRepository::ServerDay& row : db::LedgerRepository(db).serverChargesByDay(server_id, days[0].day_unix)) {
    for (DayCost& day : days) {
      if (day.day_unix == row.day_unix) {
        day.hours = row.hours;
        day.cents = row.cents;
      }
    }
  }
  return days;
}

}  // namespace gsp::web
