// Reconcile (orchestration/reconciler.cc, the orchestrator's repair) against
// the running platform: real MariaDB, the agent, the Docker engine. Each test
// breaks something the way life does (docker kill, docker rm, a game started
// by hand, an engine restart), runs one lifecycle pass, and checks the repair.
// The engine restart goes last: every other server stops with it.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <ctime>
#include <thread>

#include "db/job_repository.h"
#include "db/ledger_repository.h"
#include "db/server_repository.h"
#include "db/stats_repository.h"
#include "net_client.h"
#include "platform_test.h"
#include "test_env.h"

using namespace std::chrono_literals;
using gsp::domain::ServerState;

class ReconcileTest : public gsp::test::PlatformTest {
  CPPUNIT_TEST_SUITE(ReconcileTest);
  CPPUNIT_TEST(aCrashSleepsTheServerAndASecondIsACrashLoop);
  CPPUNIT_TEST(aGameThatNeverAcceptsEndsInErrorAfterItsTimeout);
  CPPUNIT_TEST(aRemovedProxyIsBackAfterOnePass);
  CPPUNIT_TEST(aGameStartedByHandIsAdoptedAndCharged);
  CPPUNIT_TEST(anInterruptedSleepIsFinished);
  CPPUNIT_TEST(orphansGoAfterTheGracePeriodAndStrangersStay);
  CPPUNIT_TEST(statsAreSampledRolledUpAndPruned);
  CPPUNIT_TEST(anEngineRestartIsNotACrash);
  CPPUNIT_TEST_SUITE_END();

 public:
  gsp::db::ServerRecord server(int64_t id) { return *gsp::db::ServerRepository(*db_).find(id); }

  // The newest event whose cause starts with `prefix`, if any.
  std::optional<gsp::db::ServerEvent> event(int64_t id, const std::string& prefix) {
    for (const gsp::db::ServerEvent& e : gsp::db::ServerRepository(*db_).events(id, 50)) {
      if (e.cause.rfind(prefix, 0) == 0) return e;
    }
    return std::nullopt;
  }

  // The server's repair (or other) job has ended: nothing active on it.
  void waitForNoJob(int64_t id) {
    for (int i = 0; i < 600; ++i) {
      std::optional<gsp::db::Job> job = gsp::db::JobRepository(*db_).latestForServer(id);
      if (!job || (job->state != gsp::domain::JobState::kQueued && job->state != gsp::domain::JobState::kRunning))
        return;
      std::this_thread::sleep_for(100ms);
    }
    CPPUNIT_FAIL("a job of server " + std::to_string(id) + " did not end");
  }

  void killGame(int64_t id) {
    const std::string game = server(id).game_container_id;
    CPPUNIT_ASSERT(docker_->killContainer(game, "SIGKILL").isOk());
    for (int i = 0; i < 100 && docker_->inspectContainer(game)->state.running; ++i) std::this_thread::sleep_for(100ms);
  }

  void remove(gsp::test::HttpClient& c, int64_t id, const std::string& name) {
    c.post("/servers/" + std::to_string(id) + "/delete", "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=" + name);
  }

  void aCrashSleepsTheServerAndASecondIsACrashLoop() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("crash"));
    int64_t id = runningServer(c, "crash");
    const int port = server(id).ports[0].public_port;
    killGame(id);
    tick();
    gsp::test::waitForState(*db_, id, ServerState::kSleeping, 60s);
    // The history says what happened, with the game's last lines.
    std::optional<gsp::db::ServerEvent> crash = event(id, "crashed: exit 137");
    CPPUNIT_ASSERT(crash.has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("RUNNING"), crash->from_state);
    CPPUNIT_ASSERT_MESSAGE(crash->detail, !crash->detail.empty());
    std::string page = c.get("/servers/" + std::to_string(id)).body;
    CPPUNIT_ASSERT(page.find("crashed: exit 137") != std::string::npos);
    CPPUNIT_ASSERT(page.find("Last lines of the console") != std::string::npos);
    // The next player wakes it again.
    CPPUNIT_ASSERT_EQUAL(std::string("again\n"), gsp::test::tcpRoundTrip(port, "again\n", 60s));
    gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);

    // A second crash within the window: ERROR, and players are turned away.
    killGame(id);
    tick();
    gsp::test::waitForState(*db_, id, ServerState::kError, 60s);
    gsp::db::ServerRecord s = server(id);
    CPPUNIT_ASSERT(s.wake_blocked);
    CPPUNIT_ASSERT_MESSAGE(s.state_message, s.state_message.find("crashed twice") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string(""), gsp::test::tcpRoundTrip(port, "let me in\n", 5s));
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(server(id).state == ServerState::kError);
    CPPUNIT_ASSERT(!docker_->inspectContainer(s.game_container_id)->state.running);
    // Its owner starts it again from the page.
    page = c.get("/servers/" + std::to_string(id)).body;
    CPPUNIT_ASSERT_MESSAGE(page.substr(0, 4000), page.find("Start again") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(303L, c.post("/servers/" + std::to_string(id) + "/wake", "csrf_token=" + gsp::test::csrfOf(c)).status);
    // The agent tells the proxy the game was started: RUNNING with nobody connecting.
    gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);
    CPPUNIT_ASSERT(!server(id).wake_blocked);
    CPPUNIT_ASSERT_EQUAL(std::string("back\n"), gsp::test::tcpRoundTrip(port, "back\n", 30s));
    remove(c, id, "crash");
  }

  void aGameThatNeverAcceptsEndsInErrorAfterItsTimeout() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("neverup"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game-never-ready"), "neverup");
    CPPUNIT_ASSERT_EQUAL(303L, c.post("/servers/" + std::to_string(id) + "/wake", "csrf_token=" + gsp::test::csrfOf(c)).status);
    gsp::test::waitForState(*db_, id, ServerState::kStarting, 30s);
    waitForNoJob(id);
    tick();  // within its timeout: nothing
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(server(id).state == ServerState::kStarting);
    // Its 5 minutes pass.
    db_->sql("UPDATE servers SET state_changed_at = state_changed_at - INTERVAL 301 SECOND WHERE id = ?").arg(id).update();
    tick();
    gsp::test::waitForState(*db_, id, ServerState::kError, 60s);
    gsp::db::ServerRecord s = server(id);
    CPPUNIT_ASSERT_MESSAGE(s.state_message, s.state_message.find("did not accept players within 5 minutes") !=
                                                std::string::npos);
    CPPUNIT_ASSERT(s.wake_blocked);
    CPPUNIT_ASSERT(!docker_->inspectContainer(s.game_container_id)->state.running);
    std::optional<gsp::db::ServerEvent> e = event(id, "the game did not accept players");
    CPPUNIT_ASSERT(e.has_value() && !e->detail.empty());
    remove(c, id, "neverup");
  }

  void aRemovedProxyIsBackAfterOnePass() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("noproxy"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "noproxy");
    gsp::db::ServerRecord s = server(id);
    CPPUNIT_ASSERT(docker_->removeContainer(s.proxy_container_id, {true, false}).isOk());
    CPPUNIT_ASSERT_EQUAL(std::string(""), gsp::test::tcpRoundTrip(s.ports[0].public_port, "hello\n", 2s));
    tick();
    waitForNoJob(id);
    CPPUNIT_ASSERT(event(id, "the proxy container was missing").has_value());
    gsp::db::ServerRecord after = server(id);
    CPPUNIT_ASSERT(after.proxy_container_id != s.proxy_container_id);
    CPPUNIT_ASSERT(docker_->inspectContainer(after.proxy_container_id)->state.running);
    // The address answers again, and a player wakes the game through it.
    CPPUNIT_ASSERT_EQUAL(std::string("hello\n"), gsp::test::tcpRoundTrip(s.ports[0].public_port, "hello\n", 60s));
    gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);
    // A stopped proxy is started again.
    CPPUNIT_ASSERT(docker_->stopContainer(after.proxy_container_id, 1s).isOk());
    tick();
    waitForNoJob(id);
    CPPUNIT_ASSERT(event(id, "the proxy container was stopped").has_value());
    CPPUNIT_ASSERT(docker_->inspectContainer(after.proxy_container_id)->state.running);
    remove(c, id, "noproxy");
  }

  void aGameStartedByHandIsAdoptedAndCharged() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("byhand"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "byhand");
    CPPUNIT_ASSERT(docker_->startContainer(server(id).game_container_id).isOk());
    tick();
    gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);
    CPPUNIT_ASSERT(event(id, "adopted").has_value());
    // Charged a moment after the transition (its own transaction).
    int charges = 0;
    for (int i = 0; i < 50 && charges == 0; ++i) {
      auto rs = db_->sql("SELECT COUNT(*) FROM transactions WHERE server_id = ? AND type = 'HOURLY_CHARGE'").arg(id).rows();
      CPPUNIT_ASSERT(rs->next());
      charges = rs->getInt(1);
      if (charges == 0) std::this_thread::sleep_for(100ms);
    }
    CPPUNIT_ASSERT_EQUAL(1, charges);
    CPPUNIT_ASSERT(server(id).paid_until_unix > time(nullptr) + 3000);
    remove(c, id, "byhand");
  }

  // The agent was killed after moving the server to STOPPING, before it acted
  // (and its job was given up): the pass finishes the sleep.
  void anInterruptedSleepIsFinished() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("halfway"));
    int64_t id = runningServer(c, "halfway");
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).transition(id, ServerState::kRunning, ServerState::kStopping, "test"));
    tick();  // just now: it may still be under way
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(server(id).state == ServerState::kStopping);
    db_->sql("UPDATE servers SET state_changed_at = state_changed_at - INTERVAL 5 MINUTE WHERE id = ?").arg(id).update();
    tick();
    gsp::test::waitForState(*db_, id, ServerState::kSleeping, 60s);
    CPPUNIT_ASSERT(!docker_->inspectContainer(server(id).game_container_id)->state.running);
    remove(c, id, "halfway");
  }

  void orphansGoAfterTheGracePeriodAndStrangersStay() {
    const std::string prefix = config_.servers_object_prefix;
    const std::string image = "gsp-demo-game:0.1.0";
    std::map<std::string, std::string> labels = {
        {"gsp.managed", "true"}, {"gsp.installation", prefix}, {"gsp.server_id", "987654321"}, {"gsp.role", "game"}};
    gsp::docker::ContainerSpec orphan;
    orphan.name = prefix + "-987654321-game";
    orphan.image = image;
    orphan.labels = labels;
    gsp::docker::ContainerSpec stranger;
    stranger.name = "not-ours-" + std::to_string(time(nullptr));
    stranger.image = image;
    gsp::docker::ContainerSpec other_install = stranger;
    other_install.name = "other-install-" + std::to_string(time(nullptr));
    other_install.labels = labels;
    other_install.labels["gsp.installation"] = "someone-else";
    auto orphan_c = docker_->createContainer(orphan);
    auto stranger_c = docker_->createContainer(stranger);
    auto other_c = docker_->createContainer(other_install);
    CPPUNIT_ASSERT(orphan_c.isOk() && stranger_c.isOk() && other_c.isOk());
    gsp::docker::NetworkSpec net;
    net.name = prefix + "-987654321-net";
    net.labels = labels;
    CPPUNIT_ASSERT(docker_->createNetwork(net).isOk());
    gsp::docker::VolumeSpec volume;
    volume.name = prefix + "-987654321-data";
    volume.labels = labels;
    CPPUNIT_ASSERT(docker_->createVolume(volume).isOk());
    // Younger than the grace period (5 s in the test config): left alone.
    tick();
    CPPUNIT_ASSERT(docker_->inspectContainer(orphan_c->id).isOk());
    std::this_thread::sleep_for(7s);
    tick();
    CPPUNIT_ASSERT(docker_->inspectContainer(orphan_c->id).error().isNotFound());
    CPPUNIT_ASSERT(docker_->inspectNetwork(net.name).error().isNotFound());
    gsp::docker::LabelFilter by_name;
    by_name.equals("gsp.server_id", "987654321").equals("gsp.installation", prefix);
    CPPUNIT_ASSERT(docker_->listVolumes(by_name)->empty());
    // Objects without this installation's labels are never touched.
    CPPUNIT_ASSERT(docker_->inspectContainer(stranger_c->id).isOk());
    CPPUNIT_ASSERT(docker_->inspectContainer(other_c->id).isOk());
    docker_->removeContainer(stranger_c->id, {true, false});
    docker_->removeContainer(other_c->id, {true, false});
  }

  void statsAreSampledRolledUpAndPruned() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("stats"));
    int64_t id = runningServer(c, "stats");
    // A pass samples every running server: CPU, memory, players, bytes.
    const int64_t now = time(nullptr);
    tick(now);
    auto sample = db_->sql("SELECT COUNT(*), MAX(memory_bytes), SUM(net_in_bytes) FROM stats_samples "
                           "WHERE server_id = ? AND sampled_at = FROM_UNIXTIME(?)")
                      .arg(id).arg(now).rows();
    CPPUNIT_ASSERT(sample->next());
    CPPUNIT_ASSERT_EQUAL(1, sample->getInt(1));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(sample->getInt64(2)), sample->getInt64(2) > 100000);
    sample.reset();
    // Asleep before the clock jumps ahead: a RUNNING server would be charged those hours.
    CPPUNIT_ASSERT_EQUAL(303L, c.post("/servers/" + std::to_string(id) + "/hibernate",
                                      "csrf_token=" + gsp::test::csrfOf(c)).status);
    gsp::test::waitForState(*db_, id, ServerState::kSleeping, 60s);
    // Hours of samples far ahead of every other test's clock, so no earlier pass rolled them.
    const int64_t base = (now / 3600 + 24 * 30) * 3600;
    for (int minute = 0; minute < 120; ++minute) {
      db_->sql("INSERT INTO stats_samples (server_id, sampled_at, cpu_percent, memory_bytes, players) "
               "VALUES (?, FROM_UNIXTIME(?), ?, ?, ?)")
          .arg(id).arg(base + minute * 60).arg(minute < 60 ? 10.0 : 30.0).arg(int64_t(64) << 20).arg(minute % 3)
          .update();
    }
    tick(base + 2 * 3600 + 30);
    auto hourly = db_->sql("SELECT samples, cpu_avg, cpu_max, players_max FROM stats_hourly WHERE server_id = ? "
                           "AND hour_start >= FROM_UNIXTIME(?) ORDER BY hour_start")
                      .arg(id).arg(base).rows();
    CPPUNIT_ASSERT(hourly->next());
    CPPUNIT_ASSERT_EQUAL(60, hourly->getInt(1));
    CPPUNIT_ASSERT_DOUBLES_EQUAL(10.0, hourly->getDouble(2), 0.001);
    CPPUNIT_ASSERT_EQUAL(2, hourly->getInt(4));
    CPPUNIT_ASSERT(hourly->next());
    CPPUNIT_ASSERT_DOUBLES_EQUAL(30.0, hourly->getDouble(3), 0.001);
    hourly.reset();
    // The charts read them.
    auto points = gsp::db::StatsRepository(*db_).hourlyPoints(id, base, base + 7200);
    CPPUNIT_ASSERT_EQUAL(size_t(2), points.size());
    // 48 hours after them the minute samples go; 30 days after, the hourly rows.
    tick(base + 50 * 3600 + 60);
    auto left = db_->sql("SELECT COUNT(*) FROM stats_samples WHERE server_id = ? AND sampled_at >= FROM_UNIXTIME(?) "
                         "AND sampled_at < FROM_UNIXTIME(?)")
                    .arg(id).arg(base).arg(base + 7200).rows();
    CPPUNIT_ASSERT(left->next());
    CPPUNIT_ASSERT_EQUAL(0, left->getInt(1));
    left.reset();
    CPPUNIT_ASSERT_EQUAL(size_t(2), gsp::db::StatsRepository(*db_).hourlyPoints(id, base, base + 7200).size());
    tick(base + 31 * 86400);
    CPPUNIT_ASSERT(gsp::db::StatsRepository(*db_).hourlyPoints(id, base, base + 7200).empty());
    // The page shows the three charts.
    std::string page = c.get("/servers/" + std::to_string(id) + "?range=1h").body;
    CPPUNIT_ASSERT_MESSAGE(page.substr(0, 3000), page.find("aria-label=\"CPU\"") != std::string::npos);
    CPPUNIT_ASSERT(page.find("aria-label=\"Memory\"") != std::string::npos);
    CPPUNIT_ASSERT(page.find("aria-label=\"Players\"") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(400L, c.get("/servers/" + std::to_string(id) + "/charts?range=1y").status);
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/servers/" + std::to_string(id) + "/charts?range=7d").status);
    remove(c, id, "stats");
  }

  // The engine restarts while a game runs: its game stops with it, the proxy
  // comes back (restart policy). A player connecting before the next pass
  // wakes it (the wake call finds the game dead and starts it); after a pass,
  // a RUNNING server whose game died with the engine sleeps. Never ERROR.
  void anEngineRestartIsNotACrash() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("engine"));
    int64_t a = runningServer(c, "engine-a");
    int64_t b = runningServer(c, "engine-b");
    int status = 0;
    std::string out = gsp::test::runCommand(gsp::test::env("GSP_TEST_RESTART_DOCKER"), &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    CPPUNIT_ASSERT(!docker_->inspectContainer(server(a).game_container_id)->state.running);
    for (int i = 0; i < 100 && !docker_->inspectContainer(server(a).proxy_container_id)->state.running; ++i)
      std::this_thread::sleep_for(100ms);
    // A: a player comes before any pass.
    CPPUNIT_ASSERT(server(a).state == ServerState::kRunning);
    CPPUNIT_ASSERT_EQUAL(std::string("hi\n"), gsp::test::tcpRoundTrip(server(a).ports[0].public_port, "hi\n", 60s));
    gsp::test::waitForState(*db_, a, ServerState::kRunning, 60s);
    CPPUNIT_ASSERT(event(a, "the game was stopped by a Docker engine restart").has_value());
    // B: the pass finds it.
    tick();
    gsp::test::waitForState(*db_, b, ServerState::kSleeping, 60s);
    CPPUNIT_ASSERT(event(b, "the game was stopped by a Docker engine restart").has_value());
    CPPUNIT_ASSERT(!event(b, "crashed").has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("hi\n"), gsp::test::tcpRoundTrip(server(b).ports[0].public_port, "hi\n", 60s));
    gsp::test::waitForState(*db_, b, ServerState::kRunning, 60s);
    remove(c, a, "engine-a");
    remove(c, b, "engine-b");
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ReconcileTest);
