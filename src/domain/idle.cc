#include "domain/idle.h"

#include <algorithm>

namespace gsp::domain {

int64_t idleSleepAt(const IdleFacts& f) {
  if (f.players > 0) return -1;
  int64_t quiet_since = std::max({f.last_activity, f.running_since});
  return std::max(quiet_since + int64_t(f.idle_minutes) * 60, f.keep_awake_until);
}

}  // namespace gsp::domain
