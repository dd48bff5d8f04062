#include "web/chart_svg.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

namespace gsp::web {
namespace {

// The plot area inside the 600 x 180 viewBox; the margins hold the y labels
// (left), the time labels (bottom) and the "UTC" marker (right, past the
// half-width of a label centred on the last tick).
constexpr double kLeft = 70, kRight = 556, kTop = 12, kBottom = 156;
constexpr int kMaxTicks = 7;
constexpr int64_t kDay = 86400;
// Round tick spacings, smallest first; days are multiples of 00:00 UTC.
constexpr int64_t kTickSteps[] = {60,    120,   300,   600,   900,   1800, 3600,    7200,
                                  10800, 14400, 21600, 43200, kDay, 2 * kDay, 7 * kDay};
const char* const kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

struct Frame {
  int64_t from = 0, to = 1;  // to > from
  double top = 1;            // the y axis' upper end, > 0
};

void appendEscaped(std::string& out, const std::string& s) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

void appendInt(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// Whole numbers without decimals, else one; done by hand so that no global
// locale can turn the decimal point into a comma.
void appendNumber(std::string& out, double v) {
  if (!std::isfinite(v)) v = 0;
  int64_t tenths = std::llround(std::clamp(v, -1e15, 1e15) * 10);
  if (tenths < 0) {
    out += '-';
    tenths = -tenths;
  }
  appendInt(out, tenths / 10);
  if (tenths % 10 != 0) {
    out += '.';
    out += static_cast<char>('0' + tenths % 10);
  }
}

// "x y", as in path data.
void appendPoint(std::string& out, double x, double y) {
  appendNumber(out, x);
  out += ' ';
  appendNumber(out, y);
}

// ` x="x" y="y"`, the position of a <text>.
void appendTextAt(std::string& out, double x, double y) {
  out += " x=\"";
  appendNumber(out, x);
  out += "\" y=\"";
  appendNumber(out, y);
  out += '"';
}

void appendTwoDigits(std::string& out, int v) {
  out += static_cast<char>('0' + v / 10 % 10);
  out += static_cast<char>('0' + v % 10);
}

bool inRange(const ChartPoint& p, const Frame& f) {
  return p.unix >= f.from && p.unix <= f.to && std::isfinite(p.value) && std::isfinite(p.max);
}

double peak(const ChartPoint& p) { return std::max(p.value, p.max); }

double xOf(const Frame& f, int64_t t) {
  return kLeft + static_cast<double>(t - f.from) / static_cast<double>(f.to - f.from) * (kRight - kLeft);
}

// Values are clamped to the axis: a negative reading would leave the plot.
double yOf(const Frame& f, double v) { return kBottom - std::clamp(v / f.top, 0.0, 1.0) * (kBottom - kTop); }

int64_t floorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// Ticks lie in (from, to]: a tick on `from` would sit on the y axis, and
// leaving it out keeps a midnight-aligned 7-day range at daily ticks.
int64_t tickCount(const Frame& f, int64_t step) { return floorDiv(f.to, step) - floorDiv(f.from, step); }

int64_t tickStep(const Frame& f) {
  for (int64_t step : kTickSteps) {
    if (tickCount(f, step) <= kMaxTicks) return step;
  }
  return (floorDiv(f.to - f.from, kMaxTicks * kDay) + 1) * kDay;  // months: whole days
}

// "14:30", or "Mon 30" when the range is longer than two days; UTC.
void appendTimeLabel(std::string& out, const Frame& f, int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (gmtime_r(&tt, &tm) == nullptr) return;
  if (f.to - f.from > 2 * kDay) {
    out += kWeekdays[tm.tm_wday % 7];
    out += ' ';
    appendInt(out, tm.tm_mday);
  } else {
    appendTwoDigits(out, tm.tm_hour);
    out += ':';
    appendTwoDigits(out, tm.tm_min);
  }
}

void appendXAxis(std::string& out, const Frame& f) {
  const int64_t step = tickStep(f), first = (floorDiv(f.from, step) + 1) * step;
  out += "<path class=\"chart-tick\" stroke=\"currentColor\" stroke-opacity=\"0.6\" d=\"";
  for (int64_t t = first; t <= f.to; t += step) {
    out += t == first ? "M" : " M";
    appendPoint(out, xOf(f, t), kBottom);
    out += " v4";
  }
  out += "\"/><g text-anchor=\"middle\">";
  for (int64_t t = first; t <= f.to; t += step) {
    out += "<text class=\"chart-time\" data-unix=\"";
    appendInt(out, t);
    out += '"';
    appendTextAt(out, xOf(f, t), kBottom + 15);
    out += '>';
    appendTimeLabel(out, f, t);
    out += "</text>";
  }
  // The zone of the times, at the top right (where a longer local name fits).
  out += "</g><text class=\"chart-tz\" text-anchor=\"end\"";
  appendTextAt(out, 598, kTop - 3);
  out += " font-size=\"9\">UTC</text>";
}

// 4 or 5 intervals (3 as a last resort) whose step is itself on the ladder
// and needs at most one decimal: 100 -> 25s, 5 -> 1s, 1 -> 0.2s.
int yIntervals(double top) {
  for (int n : {4, 5, 3}) {
    const double step = top / n, tenths = step * 10;
    if (std::fabs(tenths - std::round(tenths)) < 1e-6 * std::max(1.0, tenths) &&
        std::fabs(niceCeiling(step) - step) < 1e-9 * step) {
      return n;
    }
  }
  return 4;
}

// "M70 84 H556": one grid line across the plot.
void appendHorizontal(std::string& out, double y) {
  out += 'M';
  appendPoint(out, kLeft, y);
  out += " H";
  appendNumber(out, kRight);
}

void appendYAxis(std::string& out, const Frame& f, const std::string& unit) {
  const int n = yIntervals(f.top);
  // The zero line is the x axis itself, drawn stronger than the grid.
  out += "<path class=\"chart-axis\" stroke=\"currentColor\" stroke-opacity=\"0.6\" d=\"";
  appendHorizontal(out, kBottom);
  out += "\"/><path class=\"chart-grid\" stroke=\"currentColor\" stroke-opacity=\"0.15\" d=\"";
  for (int i = 1; i <= n; ++i) {
    if (i > 1) out += ' ';
    appendHorizontal(out, yOf(f, f.top * i / n));
  }
  out += "\"/><g text-anchor=\"end\">";
  for (int i = 0; i <= n; ++i) {
    const double v = f.top * i / n;
    out += "<text";
    appendTextAt(out, kLeft - 4, yOf(f, v) + 3);
    out += '>';
    appendNumber(out, v);
    if (!unit.empty()) {
      out += ' ';
      appendEscaped(out, unit);
    }
    out += "</text>";
  }
  out += "</g>";
}

size_t nextInRange(const std::vector<ChartPoint>& points, size_t i, const Frame& f) {
  while (i < points.size() && !inRange(points[i], f)) ++i;
  return i;
}

// One <path> per run of points at most 2 steps apart; a run of one point
// becomes a short flat stroke so that it stays visible.
void appendRuns(std::string& out, const ChartSpec& spec, const Frame& f, bool maxima, const char* cls) {
  const auto& pts = spec.points;
  const int64_t gap = 2 * std::max<int64_t>(1, spec.step_seconds);
  auto apart = [gap](int64_t a, int64_t b) { return b < a || b - a > gap; };  // unsorted input breaks too
  bool open = false;
  for (size_t i = nextInRange(pts, 0, f); i < pts.size();) {
    const size_t j = nextInRange(pts, i + 1, f);
    const bool ends = j == pts.size() || apart(pts[i].unix, pts[j].unix);
    const double x = xOf(f, pts[i].unix), y = yOf(f, maxima ? peak(pts[i]) : pts[i].value);
    if (!open) {
      out += "<path class=\"";
      out += cls;
      out += "\" d=\"M";
      appendNumber(out, ends ? x - 2 : x);
    } else {
      out += " L";
      appendNumber(out, x);
    }
    out += ' ';
    appendNumber(out, y);
    if (!open && ends) {
      out += " H";
      appendNumber(out, x + 2);
    }
    if (ends) out += "\"/>";
    open = !ends;
    i = j;
  }
}

}  // namespace

double niceCeiling(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1;
  double base = std::pow(10.0, std::floor(std::log10(v)));
  if (base > v) base /= 10;  // log10 rounding at an exact power of ten
  for (double m : {1.0, 2.0, 2.5, 4.0, 5.0}) {
    if (m * base >= v) return m * base;
  }
  return 10 * base;
}

std::string renderChartSvg(const ChartSpec& spec) {
  Frame f;
  f.from = spec.from_unix;
  f.to = std::max(spec.to_unix, spec.from_unix + 1);
  double highest = spec.min_top;
  bool any = false, maxima = false;
  for (const ChartPoint& p : spec.points) {
    if (!inRange(p, f)) continue;
    any = true;
    maxima = maxima || p.max > p.value;
    highest = std::max(highest, peak(p));
  }
  f.top = niceCeiling(highest);

  std::string out;
  out.reserve(4096);
  out += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 600 180\" width=\"100%\" "
         "role=\"img\" aria-label=\"";
  appendEscaped(out, spec.title);
  out += "\"><title>";
  appendEscaped(out, spec.title);
  // Presentation attributes, not a <style>: an inline SVG's style sheet would
  // apply to the whole page, and these yield to the page's own CSS.
  out += "</title><g font-family=\"sans-serif\" font-size=\"10\" fill=\"currentColor\">";
  appendYAxis(out, f, spec.unit);
  appendXAxis(out, f);
  out += "</g>";
  if (!any) {
    out += "<text class=\"chart-empty\"";
    appendTextAt(out, (kLeft + kRight) / 2, (kTop + kBottom) / 2);
    out += " text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12\" fill=\"currentColor\">"
           "No data in this period (the server was asleep)</text>";
  } else {
    out += "<g fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" "
           "stroke-linejoin=\"round\">";
    if (maxima) {
      out += "<g stroke-opacity=\"0.35\">";
      appendRuns(out, spec, f, true, "chart-max");
      out += "</g>";
    }
    appendRuns(out, spec, f, false, "chart-line");
    out += "</g>";
  }
  out += "</svg>";
  return out;
}

}  // namespace gsp::web
