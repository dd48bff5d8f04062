// Idle sleep (ARCHITECTURE.md, "Billing and sleep"): a RUNNING server sleeps
// once nobody has played on it for its catalog entry's idle minutes. Players
// are what the sidecar reports connected (a silent, AFK player counts); the
// clock starts at the latest of the last player traffic, the moment it became
// RUNNING and the owner's "keep awake" push-back. Pure; thread-safe.
#pragma once

#include <cstdint>

namespace gsp::domain {

struct IdleFacts {
  int players = 0;                // live TCP connections + UDP sessions, as last reported
  int64_t last_activity = 0;      // unix seconds of the last client traffic (0: none)
  int64_t running_since = 0;      // when it last became RUNNING
  int64_t keep_awake_until = 0;   // the owner's push-back (0: none)
  int idle_minutes = 15;
};

// When the server falls asleep if nobody joins (unix seconds), or -1 while players are on it.
int64_t idleSleepAt(const IdleFacts& facts);

inline constexpr int kKeepAwakeMinutes = 30;

}  // namespace gsp::domain
