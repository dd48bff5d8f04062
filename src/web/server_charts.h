// The server page's charts: CPU, memory and players over the last hour, 24
// hours or 7 days, from the stats history (db/stats_repository.h), drawn as
// server-rendered SVG (chart_svg.h), and what the server cost each of the
// last 7 days. Uses the caller's Database; not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/database.h"

namespace gsp::web {

enum class ChartRange { kHour, kDay, kWeek };

// "1h", "24h", "7d"; nothing for anything else.
std::optional<ChartRange> parseChartRange(const std::string& text);
const char* chartRangeName(ChartRange range);

struct ServerCharts {
  std::string cpu_svg;
  std::string memory_svg;
  std::string players_svg;
};

// `cpu_millis` and `ram_mb` are the game's limits: each chart's axis reaches at least them.
ServerCharts buildServerCharts(db::Database& db, int64_t server_id, ChartRange range, int64_t now, int cpu_millis,
                               int ram_mb);

struct DayCost {
  int64_t day_unix = 0;  // 00:00 UTC
  int hours = 0;
  int64_t cents = 0;
};

// The last 7 UTC days, today last, with the days it did not run as zero.
std::vector<DayCost> lastWeekCosts(db::Database& db, int64_t server_id, int64_t now);

}  // namespace gsp::web
