// Stats history (sql/008): a sample a minute per running server, written by
// gsp-agent's reconcile; hourly averages and maxima rolled up, and old rows
// removed, by gsp-lifecycle; read by the server page's charts.
// Not thread-safe (uses the caller's Database).
#pragma once

#include <cstdint>
#include <vector>

#include "db/database.h"

namespace gsp::db {

// What the engine says of one running game (players and bytes come from the
// server's row: the proxy's reports).
struct UsageSample {
  int64_t server_id = 0;
  double cpu_percent = 0;
  int64_t memory_bytes = 0;
};

// One point of a chart: the average (and maximum) over its period.
struct StatsPoint {
  int64_t unix = 0;  // the period's start
  double cpu_avg = 0, cpu_max = 0;
  double memory_avg = 0, memory_max = 0;
  double players_avg = 0, players_max = 0;
};

class StatsRepository {
 public:
  // Minute samples are kept this long, hourly rows this long.
  static constexpr int64_t kMinuteSamplesKeptSeconds = 48 * 3600;
  static constexpr int64_t kHourlyKeptSeconds = 30 * 86400;

  explicit StatsRepository(Database& db) : db_(db) {}

  // Stores the samples at `at` (unix seconds) with each server's players and
  // the bytes relayed since its previous sample. A few statements, whatever the count.
  void addSamples(int64_t at, const std::vector<UsageSample>& samples);

  // Rolls up every complete hour of the last 48 not rolled up yet. Hours rolled.
  int rollUp(int64_t now);
  // Removes minute samples and hourly rows past their keeping, at most
  // `batch` rows of each per call (a pass never holds long locks). Rows removed.
  int prune(int64_t now, int batch);

  // Points of [from, to): averages of minute samples per `bucket_seconds` (a
  // multiple of 60), or for `hourly` the hourly rows. Periods without samples
  // (the server slept) have no point.
  std::vector<StatsPoint> points(int64_t server_id, int64_t from, int64_t to, int bucket_seconds);
  std::vector<StatsPoint> hourlyPoints(int64_t server_id, int64_t from, int64_t to);

 private:
  void addBatch(int64_t at, const UsageSample* samples, size_t n);
  Database& db_;
};

}  // namespace gsp::db
