#include <cppunit/extensions/HelperMacros.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "web/chart_svg.h"

using gsp::web::ChartPoint;
using gsp::web::ChartSpec;
using gsp::web::niceCeiling;
using gsp::web::renderChartSvg;

namespace {

constexpr int64_t kHourStart = 1700000000;  // 2023-11-14 22:13:20 UTC, not a round time

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// The data-unix values of the time labels, in order.
std::vector<int64_t> tickTimes(const std::string& svg) {
  std::vector<int64_t> ticks;
  const std::string key = "class=\"chart-time\" data-unix=\"";
  for (size_t at = svg.find(key); at != std::string::npos; at = svg.find(key, at + 1)) {
    ticks.push_back(std::strtoll(svg.c_str() + at + key.size(), nullptr, 10));
  }
  return ticks;
}

// The d attributes of every <path class="cls">.
std::vector<std::string> paths(const std::string& svg, const std::string& cls) {
  std::vector<std::string> ds;
  const std::string key = "<path class=\"" + cls + "\" d=\"";
  for (size_t at = svg.find(key); at != std::string::npos; at = svg.find(key, at + 1)) {
    const size_t start = at + key.size();
    ds.push_back(svg.substr(start, svg.find('"', start) - start));
  }
  return ds;
}

ChartSpec hourSpec() {
  ChartSpec spec;
  spec.title = "CPU";
  spec.unit = "%";
  spec.from_unix = kHourStart;
  spec.to_unix = kHourStart + 3600;
  spec.step_seconds = 60;
  spec.min_top = 100;
  return spec;
}

}  // namespace

class ChartSvgTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ChartSvgTest);
  CPPUNIT_TEST(niceCeilingFollowsLadder);
  CPPUNIT_TEST(gapSplitsLine);
  CPPUNIT_TEST(isolatedPointIsVisible);
  CPPUNIT_TEST(emptySeriesSaysNoData);
  CPPUNIT_TEST(titleIsEscaped);
  CPPUNIT_TEST(ticksAtRoundTimes);
  CPPUNIT_TEST(pointsOutsideRangeIgnored);
  CPPUNIT_TEST(yLabelsCarryUnit);
  CPPUNIT_TEST(maximaDrawnOnlyWhenTheyDiffer);
  CPPUNIT_TEST_SUITE_END();

 public:
  void niceCeilingFollowsLadder() {
    struct { double in, out; } cases[] = {
        {0.7, 1},    {1, 1},       {1.01, 2},   {2.2, 2.5}, {3, 4},     {37, 40},    {45, 50},
        {50, 50},    {51, 100},    {100, 100},  {130, 200}, {240, 250}, {1000, 1000}, {1234, 2000},
        {0.03, 0.04}, {0, 1},      {-5, 1},
    };
    for (const auto& c : cases) {
      CPPUNIT_ASSERT_DOUBLES_EQUAL_MESSAGE(std::to_string(c.in), c.out, niceCeiling(c.in), 1e-9 * c.out);
    }
  }

  void gapSplitsLine() {
    ChartSpec spec = hourSpec();
    // 22:20-22:22, then the server sleeps 30 min, then 22:52-22:54.
    for (int64_t t : {420, 480, 540, 2340, 2400, 2460}) spec.points.push_back({kHourStart + t, 10, 10});
    const std::string svg = renderChartSvg(spec);
    const std::vector<std::string> ds = paths(svg, "chart-line");
    CPPUNIT_ASSERT_EQUAL(size_t(2), ds.size());
    for (const std::string& d : ds) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE(d, size_t(1), count(d, "M"));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(d, size_t(2), count(d, "L"));
    }
    // Two steps apart is still one run.
    spec.points = {{kHourStart + 60, 5, 5}, {kHourStart + 180, 6, 6}};
    CPPUNIT_ASSERT_EQUAL(size_t(1), paths(renderChartSvg(spec), "chart-line").size());
  }

  void isolatedPointIsVisible() {
    ChartSpec spec = hourSpec();
    spec.points = {{kHourStart + 1800, 50, 50}};
    const std::vector<std::string> ds = paths(renderChartSvg(spec), "chart-line");
    CPPUNIT_ASSERT_EQUAL(size_t(1), ds.size());
    CPPUNIT_ASSERT_EQUAL(std::string("M311 84 H315"), ds[0]);  // a 4-unit flat stroke at 50 %
  }

  void emptySeriesSaysNoData() {
    ChartSpec spec = hourSpec();
    const std::string svg = renderChartSvg(spec);
    const size_t empty = svg.find("<text class=\"chart-empty\"");
    CPPUNIT_ASSERT(empty != std::string::npos);
    CPPUNIT_ASSERT(svg.find(">No data in this period (the server was asleep)</text>", empty) != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(size_t(0), count(svg, "chart-line"));
    CPPUNIT_ASSERT(!tickTimes(svg).empty());  // the axes are still there
    spec.points = {{kHourStart + 60, 5, 5}};
    CPPUNIT_ASSERT_EQUAL(size_t(0), count(renderChartSvg(spec), "chart-empty"));
  }

  void titleIsEscaped() {
    ChartSpec spec = hourSpec();
    spec.title = "<script>&\"'";
    spec.unit = "<b>";
    const std::string svg = renderChartSvg(spec);
    CPPUNIT_ASSERT_EQUAL(size_t(0), count(svg, "<script"));
    CPPUNIT_ASSERT_EQUAL(size_t(0), count(svg, "<b>"));
    CPPUNIT_ASSERT_EQUAL(size_t(2), count(svg, "&lt;script&gt;&amp;&quot;&#39;"));  // <title> and aria-label
    CPPUNIT_ASSERT(svg.find("<title>&lt;script&gt;&amp;&quot;&#39;</title>") != std::string::npos);
  }

  void ticksAtRoundTimes() {
    struct { int64_t span; std::vector<int64_t> steps; size_t min_ticks; const char* label; } cases[] = {
        {3600, {600, 900}, 4, ">22:20<"},          // 1 h: every 10 or 15 min
        {86400, {10800, 14400}, 4, ">00:00<"},     // 24 h: every 3 or 4 h
        {7 * 86400, {86400}, 7, ">Wed 15<"},       // 7 d: every day at 00:00 UTC
    };
    for (const auto& c : cases) {
      ChartSpec spec = hourSpec();
      spec.to_unix = spec.from_unix + c.span;
      const std::string svg = renderChartSvg(spec);
      const std::vector<int64_t> ticks = tickTimes(svg);
      CPPUNIT_ASSERT_MESSAGE(c.label, ticks.size() >= c.min_ticks && ticks.size() <= 7);
      const int64_t step = ticks[1] - ticks[0];
      CPPUNIT_ASSERT_MESSAGE(c.label, std::find(c.steps.begin(), c.steps.end(), step) != c.steps.end());
      for (size_t i = 0; i < ticks.size(); ++i) {
        CPPUNIT_ASSERT_MESSAGE(c.label, ticks[i] > spec.from_unix && ticks[i] <= spec.to_unix);
        CPPUNIT_ASSERT_EQUAL_MESSAGE(c.label, int64_t(0), ticks[i] % step);
        if (i > 0) CPPUNIT_ASSERT_EQUAL_MESSAGE(c.label, step, ticks[i] - ticks[i - 1]);
      }
      CPPUNIT_ASSERT_MESSAGE(c.label, svg.find(c.label) != std::string::npos);
      CPPUNIT_ASSERT(svg.find("class=\"chart-tz\"") != std::string::npos);
    }
    // A midnight-aligned week keeps daily ticks.
    ChartSpec spec = hourSpec();
    spec.from_unix = 1699920000;  // 2023-11-14 00:00 UTC
    spec.to_unix = spec.from_unix + 7 * 86400;
    CPPUNIT_ASSERT_EQUAL(size_t(7), tickTimes(renderChartSvg(spec)).size());
  }

  void pointsOutsideRangeIgnored() {
    ChartSpec spec = hourSpec();
    spec.min_top = 1;
    spec.unit = "players";
    spec.points = {{kHourStart - 60, 900, 900}, {kHourStart - 1, 900, 900}, {kHourStart + 3601, 900, 900}};
    std::string svg = renderChartSvg(spec);
    CPPUNIT_ASSERT_EQUAL(size_t(1), count(svg, "chart-empty"));
    CPPUNIT_ASSERT(svg.find(">1 players<") != std::string::npos);  // the y axis ignores them too
    CPPUNIT_ASSERT(svg.find(">1000 players<") == std::string::npos);

    // An outside point neither joins nor scales the runs inside.
    spec.points.insert(spec.points.begin() + 2, {{kHourStart + 600, 3, 3}, {kHourStart + 660, 3, 3}});
    svg = renderChartSvg(spec);
    const std::vector<std::string> ds = paths(svg, "chart-line");
    CPPUNIT_ASSERT_EQUAL(size_t(1), ds.size());
    CPPUNIT_ASSERT_EQUAL(size_t(1), count(ds[0], "L"));
    CPPUNIT_ASSERT(svg.find(">4 players<") != std::string::npos);
  }

  void yLabelsCarryUnit() {
    struct { const char* unit; double min_top, peak; const char* label; } cases[] = {
        {"%", 100, 12, ">50 %<"},
        {"MiB", 1, 700, ">500 MiB<"},
        {"players", 1, 3, ">3 players<"},
        {"players", 1, 0.4, ">0.2 players<"},
    };
    for (const auto& c : cases) {
      ChartSpec spec = hourSpec();
      spec.unit = c.unit;
      spec.min_top = c.min_top;
      spec.points = {{kHourStart + 60, c.peak / 2, c.peak}};
      const std::string svg = renderChartSvg(spec);
      CPPUNIT_ASSERT_MESSAGE(c.label, svg.find(c.label) != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(c.label, svg.find(">0 ") != std::string::npos);
    }
  }

  void maximaDrawnOnlyWhenTheyDiffer() {
    ChartSpec spec = hourSpec();
    spec.points = {{kHourStart + 60, 10, 10}, {kHourStart + 120, 20, 20}};
    CPPUNIT_ASSERT_EQUAL(size_t(0), count(renderChartSvg(spec), "chart-max"));
    spec.points[1].max = 90;
    CPPUNIT_ASSERT_EQUAL(size_t(1), paths(renderChartSvg(spec), "chart-max").size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ChartSvgTest);
