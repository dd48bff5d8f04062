// Reconcile: what to do when the engine (the truth about what runs) and the
// database (the truth about what should exist) disagree about a server, and
// how to read a game's exit that nobody asked for. gsp-agent's reconcile
// decides from one container listing which servers need a repair job; the
// repair job looks again (inspect) and judges the exit. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/job.h"
#include "domain/server_state.h"

namespace gsp::domain {

// What one listing of the engine's containers shows of a server's two.
struct SeenContainers {
  bool game_exists = false;
  bool game_running = false;
  bool proxy_exists = false;
  bool proxy_running = false;
};

// What the database says of the server.
struct ServerFacts {
  ServerState state = ServerState::kSleeping;
  int64_t state_since = 0;  // unix seconds it entered its state
  int start_timeout_seconds = 300;
};

// A STOPPING or DELETING left this long with no job on it was interrupted.
inline constexpr int64_t kUnfinishedAfterSeconds = 120;

struct RepairNeed {
  JobKind kind = JobKind::kRepair;
  std::string cause;  // for the server's history: "the game is not running"
};

// The job that repairs the server, or nothing when all is as it should be.
// Called only for servers with no job active on them.
std::optional<RepairNeed> repairNeeded(const ServerFacts& facts, const SeenContainers& seen, int64_t now);

// How a game's container ended, from its inspect.
struct GameExit {
  int64_t exit_code = 0;
  bool oom_killed = false;
  // The engine stopped it on its way down (the server's proxy was started
  // again after the game finished: only an engine restart does both).
  bool engine_restarted = false;
};

enum class ExitVerdict {
  kEngineRestart,  // not the game's fault: it sleeps, the next player wakes it
  kCleanExit,      // it stopped by itself with code 0 (a "stop" typed in its console)
  kCrash,          // sleeps; counts towards a crash loop
  kCrashLoop,      // the second crash within the window: ERROR until its owner starts it
};

// `last_crash` is the unix time of the server's previous crash (0: none).
ExitVerdict judgeExit(const GameExit& exit, int64_t last_crash, int64_t now, int64_t window_seconds);

// For the history: "crashed: exit 137, out of memory", "stopped by a Docker engine restart".
std::string describeExit(const GameExit& exit, ExitVerdict verdict);

}  // namespace gsp::domain
