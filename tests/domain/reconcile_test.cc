#include <cppunit/extensions/HelperMacros.h>

#include "domain/reconcile.h"

using namespace gsp::domain;

class ReconcileTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ReconcileTest);
  CPPUNIT_TEST(healthyServersNeedNothing);
  CPPUNIT_TEST(deadGameOfABilledServerIsRepaired);
  CPPUNIT_TEST(startTimeoutCountsFromEnteringStarting);
  CPPUNIT_TEST(gameRunningWhileAsleepIsAdopted);
  CPPUNIT_TEST(proxyMissingOrStoppedIsRepaired);
  CPPUNIT_TEST(interruptedStopsAndDeletesAreFinished);
  CPPUNIT_TEST(exitsAreJudged);
  CPPUNIT_TEST(exitsAreDescribed);
  CPPUNIT_TEST_SUITE_END();

  const int64_t now = 1764500000;

  static SeenContainers all(bool game_running) { return {true, game_running, true, true}; }
  ServerFacts facts(ServerState state, int64_t since_seconds_ago, int timeout = 300) const {
    return {state, now - since_seconds_ago, timeout};
  }

 public:
  void healthyServersNeedNothing() {
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kSleeping, 10), all(false), now));
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kRunning, 10), all(true), now));
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kStarting, 10), all(true), now));
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kError, 10), all(false), now));
    // Creating: the create job owns it, whatever the engine shows.
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kCreating, 9999), SeenContainers{}, now));
  }

  void deadGameOfABilledServerIsRepaired() {
    for (ServerState s : {ServerState::kRunning, ServerState::kStarting}) {
      auto need = repairNeeded(facts(s, 10), all(false), now);
      CPPUNIT_ASSERT(need && need->kind == JobKind::kRepair);
      CPPUNIT_ASSERT_EQUAL(std::string("the game is not running"), need->cause);
      // A game container that is gone altogether, too.
      CPPUNIT_ASSERT(repairNeeded(facts(s, 10), SeenContainers{false, false, true, true}, now));
    }
  }

  void startTimeoutCountsFromEnteringStarting() {
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kStarting, 300, 300), all(true), now));
    auto need = repairNeeded(facts(ServerState::kStarting, 301, 300), all(true), now);
    CPPUNIT_ASSERT(need && need->kind == JobKind::kRepair);
    CPPUNIT_ASSERT_EQUAL(std::string("the game has not accepted players after 6 min"), need->cause);
    // A slow game's own timeout.
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kStarting, 500, 600), all(true), now));
    // RUNNING for hours is no timeout.
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kRunning, 86400, 300), all(true), now));
  }

  void gameRunningWhileAsleepIsAdopted() {
    auto need = repairNeeded(facts(ServerState::kSleeping, 10), all(true), now);
    CPPUNIT_ASSERT(need && need->kind == JobKind::kRepair);
    CPPUNIT_ASSERT_EQUAL(std::string("the game runs while the server sleeps"), need->cause);
  }

  void proxyMissingOrStoppedIsRepaired() {
    for (ServerState s : {ServerState::kSleeping, ServerState::kRunning, ServerState::kError}) {
      auto missing = repairNeeded(facts(s, 10), {true, s == ServerState::kRunning, false, false}, now);
      CPPUNIT_ASSERT(missing && missing->cause == "the proxy container is missing");
      auto stopped = repairNeeded(facts(s, 10), {true, s == ServerState::kRunning, true, false}, now);
      CPPUNIT_ASSERT(stopped && stopped->cause == "the proxy container is stopped");
    }
  }

  void interruptedStopsAndDeletesAreFinished() {
    CPPUNIT_ASSERT(!repairNeeded(facts(ServerState::kStopping, kUnfinishedAfterSeconds - 1), all(true), now));
    auto stop = repairNeeded(facts(ServerState::kStopping, kUnfinishedAfterSeconds + 1), all(true), now);
    CPPUNIT_ASSERT(stop && stop->kind == JobKind::kHibernate);
    auto del = repairNeeded(facts(ServerState::kDeleting, kUnfinishedAfterSeconds + 1), SeenContainers{}, now);
    CPPUNIT_ASSERT(del && del->kind == JobKind::kDelete);
  }

  void exitsAreJudged() {
    const int64_t window = 600;
    GameExit killed{137, false, false};
    CPPUNIT_ASSERT(judgeExit(killed, 0, now, window) == ExitVerdict::kCrash);
    CPPUNIT_ASSERT(judgeExit(killed, now - 600, now, window) == ExitVerdict::kCrashLoop);
    CPPUNIT_ASSERT(judgeExit(killed, now - 601, now, window) == ExitVerdict::kCrash);
    // An engine restart never counts, however recent the last crash.
    GameExit restart{137, false, true};
    CPPUNIT_ASSERT(judgeExit(restart, now - 5, now, window) == ExitVerdict::kEngineRestart);
    CPPUNIT_ASSERT(judgeExit(GameExit{0, false, false}, now - 5, now, window) == ExitVerdict::kCleanExit);
    // Killed for memory with code 0 is still a crash.
    CPPUNIT_ASSERT(judgeExit(GameExit{0, true, false}, 0, now, window) == ExitVerdict::kCrash);
  }

  void exitsAreDescribed() {
    CPPUNIT_ASSERT_EQUAL(std::string("crashed: exit 137, out of memory"),
                         describeExit(GameExit{137, true, false}, ExitVerdict::kCrash));
    CPPUNIT_ASSERT_EQUAL(std::string("crashed: exit 137 (killed)"),
                         describeExit(GameExit{137, false, false}, ExitVerdict::kCrash));
    CPPUNIT_ASSERT_EQUAL(std::string("crashed: exit 1; the second crash in a short while"),
                         describeExit(GameExit{1, false, false}, ExitVerdict::kCrashLoop));
    CPPUNIT_ASSERT_EQUAL(std::string("the game was stopped by a Docker engine restart (exit 143)"),
                         describeExit(GameExit{143, false, true}, ExitVerdict::kEngineRestart));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ReconcileTest);
