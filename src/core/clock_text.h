// Times as the pages show them, always in UTC. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace gsp {

std::string utcClock(int64_t unix_seconds);     // "14:05 UTC"
std::string utcDateTime(int64_t unix_seconds);  // "2026-11-30 14:05 UTC"
std::string utcDay(int64_t unix_seconds);       // "Mon 30"
std::string minutesText(int64_t seconds);       // "1 min", "12 min", "2 h 5 min" (rounded up to a minute)
int64_t utcMonthStart(int64_t unix_seconds);    // the first second of that month, UTC

}  // namespace gsp
