#include "core/clock_text.h"

#include <ctime>

namespace gsp {

namespace {
std::string format(int64_t unix_seconds, const char* pattern) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm parts;
  gmtime_r(&t, &parts);
  char out[40];
  strftime(out, sizeof out, pattern, &parts);
  return out;
}
}  // namespace

std::string utcClock(int64_t unix_seconds) { return format(unix_seconds, "%H:%M UTC"); }

std::string utcDateTime(int64_t unix_seconds) { return format(unix_seconds, "%Y-%m-%d %H:%M UTC"); }

std::string utcDay(int64_t unix_seconds) { return format(unix_seconds, "%a %d"); }

int64_t utcMonthStart(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm parts;
  gmtime_r(&t, &parts);
  parts.tm_mday = 1;
  parts.tm_hour = parts.tm_min = parts.tm_sec = 0;
  return static_cast<int64_t>(timegm(&parts));
}

std::string minutesText(int64_t seconds) {
  int64_t minutes = seconds <= 0 ? 0 : (seconds + 59) / 60;
  if (minutes < 60) return std::to_string(minutes) + " min";
  return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
}

}  // namespace gsp
