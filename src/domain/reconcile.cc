#include "domain/reconcile.h"

namespace gsp::domain {

namespace {

std::string minutes(int64_t seconds) { return std::to_string((seconds + 59) / 60) + " min"; }

}  // namespace

std::optional<RepairNeed> repairNeeded(const ServerFacts& facts, const SeenContainers& seen, int64_t now) {
  const int64_t in_state = now - facts.state_since;
  switch (facts.state) {
    case ServerState::kCreating:
    case ServerState::kDeleted:
      return std::nullopt;  // the create job owns it; nothing is left to run
    case ServerState::kStopping:
      if (in_state < kUnfinishedAfterSeconds) return std::nullopt;
      return RepairNeed{JobKind::kHibernate, "finishing a sleep that was interrupted"};
    case ServerState::kDeleting:
      if (in_state < kUnfinishedAfterSeconds) return std::nullopt;
      return RepairNeed{JobKind::kDelete, "finishing a delete that was interrupted"};
    case ServerState::kStarting:
    case ServerState::kRunning:
      if (!seen.game_running) return RepairNeed{JobKind::kRepair, "the game is not running"};
      if (facts.state == ServerState::kStarting && in_state > facts.start_timeout_seconds)
        return RepairNeed{JobKind::kRepair, "the game has not accepted players after " + minutes(in_state)};
      break;
    case ServerState::kSleeping:
      if (seen.game_running) return RepairNeed{JobKind::kRepair, "the game runs while the server sleeps"};
      break;
    case ServerState::kError:
      break;
  }
  if (!seen.proxy_exists) return RepairNeed{JobKind::kRepair, "the proxy container is missing"};
  if (!seen.proxy_running) return RepairNeed{JobKind::kRepair, "the proxy container is stopped"};
  return std::nullopt;
}

ExitVerdict judgeExit(const GameExit& exit, int64_t last_crash, int64_t now, int64_t window_seconds) {
  if (exit.engine_restarted) return ExitVerdict::kEngineRestart;
  if (exit.exit_code == 0 && !exit.oom_killed) return ExitVerdict::kCleanExit;
  if (last_crash > 0 && now - last_crash <= window_seconds) return ExitVerdict::kCrashLoop;
  return ExitVerdict::kCrash;
}

std::string describeExit(const GameExit& exit, ExitVerdict verdict) {
  switch (verdict) {
    case ExitVerdict::kEngineRestart:
      return "the game was stopped by a Docker engine restart (exit " + std::to_string(exit.exit_code) + ")";
    case ExitVerdict::kCleanExit:
      return "the game stopped by itself (exit 0)";
    case ExitVerdict::kCrash:
    case ExitVerdict::kCrashLoop:
      break;
  }
  std::string text = "crashed: exit " + std::to_string(exit.exit_code);
  if (exit.oom_killed) text += ", out of memory";
  else if (exit.exit_code == 137) text += " (killed)";
  if (verdict == ExitVerdict::kCrashLoop) text += "; the second crash in a short while";
  return text;
}

}  // namespace gsp::domain
