// A time series (CPU %, memory, players) rendered as one inline <svg> that
// reads without JavaScript: time labels are UTC and carry data-unix so a page
// script may rewrite them to local time. Pure, deterministic; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gsp::web {

struct ChartPoint {
  int64_t unix = 0;  // seconds
  double value = 0;  // the average over the point's period
  double max = 0;    // the maximum over the period (== value for raw samples)
};

struct ChartSpec {
  std::string title;  // "CPU": the SVG's <title> and aria-label
  std::string unit;   // "%", "MiB", "players": on the y axis labels
  int64_t from_unix = 0;  // the x range
  int64_t to_unix = 0;
  // The points' resolution: points further apart than 2 steps are not joined
  // (the server slept), so a gap shows as a gap, never as a drop to zero.
  int64_t step_seconds = 60;
  // Sorted by time; may be empty; points outside [from, to] are ignored.
  std::vector<ChartPoint> points;
  double min_top = 1;  // the y axis goes at least this high (100 for %)
};

// The chart as one <svg> element (viewBox 0 0 600 180, width 100%); every
// inserted text is XML-escaped. Never throws.
std::string renderChartSvg(const ChartSpec& spec);

// Exposed for tests: the smallest value of the 1 / 2 / 2.5 / 4 / 5 x 10^k
// ladder that is >= v (37 -> 40, 130 -> 200); 1 for v <= 0 or not finite.
double niceCeiling(double v);

}  // namespace gsp::web
