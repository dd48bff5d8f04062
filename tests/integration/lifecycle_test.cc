// gsp-lifecycle passes against the running platform (real MariaDB, the agent,
// the Docker engine). Hours are simulated by moving a server's recorded times
// into the past (so gsp-web and the agent, on the real clock, agree), or with
// --now. Needs GSP_TEST_LIFECYCLE: the command of a pass, without "tick".
#include <cppunit/extensions/HelperMacros.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <sstream>
#include <thread>
#include <vector>

#include "core/crypto.h"
#include "db/job_repository.h"
#include "db/ledger_repository.h"
#include "db/server_repository.h"
#include "db/user_repository.h"
#include "net_client.h"
#include "platform_test.h"
#include "test_env.h"

using namespace std::chrono_literals;
using gsp::domain::ServerState;

class LifecycleTest : public gsp::test::PlatformTest {
  CPPUNIT_TEST_SUITE(LifecycleTest);
  CPPUNIT_TEST(threeHoursGiveThreeChargesAndRerunsAddNothing);
  CPPUNIT_TEST(runningOutOfCreditSleepsTheServerAndRefusesItsWake);
  CPPUNIT_TEST(idleServersSleepButNotWithAPlayerOrKeptAwake);
  CPPUNIT_TEST(aBusyGameStaysUpWithNobodyOnIt);
  CPPUNIT_TEST(aPassKilledHalfWayChargesNothingTwice);
  CPPUNIT_TEST(aPassPurgesExpiredSessionsOnly);
  CPPUNIT_TEST_SUITE_END();

 public:
  int64_t count(const std::string& sql, int64_t arg) {
    auto rs = db_->sql(sql).arg(arg).rows();
    CPPUNIT_ASSERT(rs->next());
    return rs->getInt64(1);
  }

  int64_t charges(int64_t server) {
    return count("SELECT COUNT(*) FROM transactions WHERE server_id = ? AND type = 'HOURLY_CHARGE'", server);
  }

  // gsp-web charges the first hour right after it records RUNNING (the same
  // request, a moment later): the count a test reads may lag that moment.
  int64_t chargesSoon(int64_t server, int64_t expected) {
    for (int i = 0; i < 50 && charges(server) < expected; ++i) std::this_thread::sleep_for(100ms);
    return charges(server);
  }

  // The ledger is the truth: every balance equals the sum of its rows.
  void ledgerBalances() {
    auto rs = db_->sql("SELECT COUNT(*) FROM users u WHERE u.credits_cents <> "
                       "(SELECT COALESCE(SUM(amount_cents), 0) FROM transactions t WHERE t.user_id = u.id) AND ? = 0")
                  .arg(0).rows();
    rs->next();
    CPPUNIT_ASSERT_EQUAL_MESSAGE("users whose balance is not their ledger's sum", 0, rs->getInt(1));
    CPPUNIT_ASSERT_EQUAL(int64_t(0), count("SELECT COUNT(*) FROM users WHERE credits_cents < ?", 0));
  }

  // Moves everything the lifecycle reads about the server `seconds` into the past.
  void age(int64_t server, int64_t seconds) {
    db_->sql("UPDATE servers SET paid_until = paid_until - INTERVAL ? SECOND, running_since = running_since - "
             "INTERVAL ? SECOND, last_activity_at = last_activity_at - INTERVAL ? SECOND WHERE id = ?")
        .arg(seconds).arg(seconds).arg(seconds).arg(server).update();
  }

  void threeHoursGiveThreeChargesAndRerunsAddNothing() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("hours"));
    int64_t id = runningServer(c, "hours");
    // Becoming RUNNING paid the first hour.
    CPPUNIT_ASSERT_EQUAL(int64_t(1), chargesSoon(id, 1));
    int64_t paid = gsp::db::ServerRepository(*db_).find(id)->paid_until_unix;
    CPPUNIT_ASSERT(paid > time(nullptr) + 3500);
    db_->sql("UPDATE servers SET keep_awake_until = UTC_TIMESTAMP() + INTERVAL 10 HOUR WHERE id = ?").arg(id).update();
    tick(paid - 600);  // within the paid hour: nothing
    CPPUNIT_ASSERT_EQUAL(int64_t(1), charges(id));
    tick(paid + 60);   // the second hour
    CPPUNIT_ASSERT_EQUAL(int64_t(2), charges(id));
    tick(paid + 120);  // the same pass again
    CPPUNIT_ASSERT_EQUAL(int64_t(2), charges(id));
    // Two passes at once at the third hour: one charge.
    int64_t third = paid + 3600 + 60;
    std::thread other([&] { tick(third); });
    tick(third);
    other.join();
    CPPUNIT_ASSERT_EQUAL(int64_t(3), charges(id));
    CPPUNIT_ASSERT_EQUAL(paid + 2 * 3600, gsp::db::ServerRepository(*db_).find(id)->paid_until_unix);
    // The hours follow each other, one row each, and the page shows them.
    CPPUNIT_ASSERT_EQUAL(int64_t(3), count("SELECT COUNT(DISTINCT period_start) FROM transactions WHERE server_id = ?", id));
    CPPUNIT_ASSERT(c.get("/servers/" + std::to_string(id)).body.find("Paid until") != std::string::npos);
    std::string billing = c.get("/billing").body;
    CPPUNIT_ASSERT(billing.find("Running hours this month") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(billing.substr(0, 4000), billing.find("<td>hours</td>") != std::string::npos);
    ledgerBalances();
    c.post("/servers/" + std::to_string(id) + "/delete", "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=hours");
  }

  void runningOutOfCreditSleepsTheServerAndRefusesItsWake() {
    std::string email = gsp::test::uniqueEmail("broke");
    gsp::test::HttpClient c = gsp::test::signIn(base_, email);
    gsp::db::User u = *gsp::db::UserRepository(*db_).findByEmail(email);
    // 1.5 hours of the 100-cents-an-hour game.
    {
      gsp::db::Transaction tx(*db_);
      gsp::db::LedgerRepository(*db_).appendInTransaction(u.id, 150 - u.credits_cents, gsp::db::EntryType::kAdjustment,
                                                          "test: leave 1.5 hours", "");
      tx.commit();
    }
    int64_t id = runningServer(c, "broke", "demo-game-priced");
    CPPUNIT_ASSERT_EQUAL(int64_t(1), chargesSoon(id, 1));
    CPPUNIT_ASSERT_EQUAL(int64_t(50), gsp::db::LedgerRepository(*db_).balance(u.id));
    // The low-credit banner names the server that will sleep.
    tick();
    std::string page = c.get("/dashboard").body;
    CPPUNIT_ASSERT_MESSAGE(page.substr(0, 3000), page.find("Low credit") != std::string::npos);
    CPPUNIT_ASSERT(page.find("broke sleeps at") != std::string::npos);
    // An hour on: the next hour cannot be paid, so it sleeps; the balance stays 50.
    age(id, 3660);
    tick();
    gsp::test::waitForState(*db_, id, ServerState::kSleeping, 60s);
    CPPUNIT_ASSERT_EQUAL(int64_t(50), gsp::db::LedgerRepository(*db_).balance(u.id));
    CPPUNIT_ASSERT_EQUAL(int64_t(1), charges(id));
    CPPUNIT_ASSERT(c.get("/servers/" + std::to_string(id)).body.find("slept: out of credits") != std::string::npos);
    // A player is turned away (the wake is refused with 402) and no container starts.
    gsp::db::ServerRecord s = *gsp::db::ServerRepository(*db_).find(id);
    CPPUNIT_ASSERT_EQUAL(std::string(""), gsp::test::tcpRoundTrip(s.ports[0].public_port, "let me in\n", 5s));
    CPPUNIT_ASSERT(!docker_->inspectContainer(s.game_container_id)->state.running);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(id)->state == ServerState::kSleeping);
    // Funds added: the next player wakes it.
    {
      gsp::db::Transaction tx(*db_);
      gsp::db::LedgerRepository(*db_).appendInTransaction(u.id, 500, gsp::db::EntryType::kDeposit, "test: top up", "");
      tx.commit();
    }
    CPPUNIT_ASSERT_EQUAL(std::string("back\n"), gsp::test::tcpRoundTrip(s.ports[0].public_port, "back\n", 60s));
    gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);
    CPPUNIT_ASSERT_EQUAL(int64_t(2), chargesSoon(id, 2));
    ledgerBalances();
    c.post("/servers/" + std::to_string(id) + "/delete", "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=broke");
  }

  void idleServersSleepButNotWithAPlayerOrKeptAwake() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("idle"));
    int64_t id = runningServer(c, "idle");
    gsp::db::ServerRecord s = *gsp::db::ServerRepository(*db_).find(id);
    // A player connected and silent (AFK) keeps it up, however long.
    gsp::test::TcpClient afk(s.ports[0].public_port);
    for (int i = 0; i < 400 && gsp::db::ServerRepository(*db_).find(id)->live_tcp_connections == 0; ++i)
      std::this_thread::sleep_for(100ms);  // the proxy reports live clients every 30 s
    CPPUNIT_ASSERT_EQUAL(1, gsp::db::ServerRepository(*db_).find(id)->live_tcp_connections);
    tick(time(nullptr) + 3600);
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(id)->state == ServerState::kRunning);
    afk.close();
    for (int i = 0; i < 100 && gsp::db::ServerRepository(*db_).find(id)->live_tcp_connections != 0; ++i)
      std::this_thread::sleep_for(100ms);  // the last client leaving is reported at once
    // Kept awake by its owner: the idle sleep waits 30 min longer.
    std::string page = c.get("/servers/" + std::to_string(id)).body;
    CPPUNIT_ASSERT_MESSAGE(page.substr(0, 3000), page.find("if nobody joins") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(303L, c.post("/servers/" + std::to_string(id) + "/keep-awake",
                                      "csrf_token=" + gsp::test::csrfOf(c)).status);
    const int64_t now = time(nullptr);
    tick(now + 16 * 60);  // past its 15 idle minutes, within the push-back
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(id)->state == ServerState::kRunning);
    tick(now + 46 * 60);  // past both
    gsp::test::waitForState(*db_, id, ServerState::kSleeping, 60s);
    CPPUNIT_ASSERT(c.get("/servers/" + std::to_string(id)).body.find("slept: nobody played for 15 min") !=
                   std::string::npos);
    c.post("/servers/" + std::to_string(id) + "/delete", "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=idle");
  }

  // A game whose catalog entry sets a CPU threshold (5 %) stays up while its
  // CPU averaged over 5 minutes is above it, players or not (the demo game
  // burns a quarter of a CPU after SIGUSR1, until the next SIGUSR1).
  void aBusyGameStaysUpWithNobodyOnIt() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("busy"));
    int64_t id = runningServer(c, "busy", "demo-game-cpu-guard");
    for (int i = 0; i < 100 && gsp::db::ServerRepository(*db_).find(id)->live_tcp_connections != 0; ++i)
      std::this_thread::sleep_for(100ms);
    const std::string game = gsp::db::ServerRepository(*db_).find(id)->game_container_id;
    CPPUNIT_ASSERT(docker_->killContainer(game, "SIGUSR1").isOk());  // busy now
    std::this_thread::sleep_for(2s);
    const int64_t now = time(nullptr);
    tick(now + 16 * 60);  // nobody for 16 min, but busy: it stays
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(id)->state == ServerState::kRunning);
    CPPUNIT_ASSERT(count("SELECT COUNT(*) FROM stats_samples WHERE server_id = ? AND cpu_percent > 5", id) >= 1);
    CPPUNIT_ASSERT(docker_->killContainer(game, "SIGUSR1").isOk());  // quiet again
    std::this_thread::sleep_for(3s);
    tick(now + 18 * 60);  // the busy sample is still within 5 minutes
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(id)->state == ServerState::kRunning);
    // The agent reuses a server's figure for 1.5 s (every open page polls it): a fresh one next.
    std::this_thread::sleep_for(3s);
    tick(now + 24 * 60);  // only quiet samples in the last 5 minutes
    gsp::test::waitForState(*db_, id, ServerState::kSleeping, 60s);
    c.post("/servers/" + std::to_string(id) + "/delete", "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=busy");
  }

  // Fifty RUNNING rows (no containers needed) due for their next hour; a pass
  // is killed as it charges, then run again: each hour is charged once.
  void aPassKilledHalfWayChargesNothingTwice() {
    std::string email = gsp::test::uniqueEmail("killed");
    gsp::test::signIn(base_, email);
    gsp::db::User u = *gsp::db::UserRepository(*db_).findByEmail(email);
    std::vector<int64_t> ids;
    for (int i = 0; i < 50; ++i) {
      gsp::db::NewServer n;
      n.user_id = u.id;
      n.game_image_id = gsp::test::gameId(*db_, "demo-game");
      n.name = "killed-" + std::to_string(i);
      n.webhook_secret = std::string(64, 'a');
      n.port_min = config_.servers_port_min;
      n.port_max = config_.servers_port_max;
      ids.push_back(gsp::db::ServerRepository(*db_).create(n).value());
      CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).transition(ids.back(), ServerState::kCreating, ServerState::kRunning,
                                                                "test"));
    }
    db_->sql("UPDATE servers SET keep_awake_until = UTC_TIMESTAMP() + INTERVAL 10 HOUR, "
             "running_since = UTC_TIMESTAMP() - INTERVAL 1 MINUTE WHERE user_id = ?").arg(u.id).update();
    // The pass itself (no shell between), so SIGKILL hits it.
    std::vector<std::string> words;
    std::stringstream command(gsp::test::env("GSP_TEST_LIFECYCLE") + " tick");
    for (std::string w; command >> w;) words.push_back(w);
    std::vector<char*> argv;
    for (std::string& w : words) argv.push_back(&w[0]);
    argv.push_back(nullptr);
    pid_t pass = fork();
    if (pass == 0) {
      freopen("/dev/null", "w", stderr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    std::this_thread::sleep_for(60ms);
    kill(pass, SIGKILL);
    waitpid(pass, nullptr, 0);
    int64_t before = count("SELECT COUNT(*) FROM transactions WHERE user_id = ? AND type = 'HOURLY_CHARGE'", u.id);
    tick();
    tick();
    for (int64_t id : ids) CPPUNIT_ASSERT_EQUAL_MESSAGE("killed pass charged " + std::to_string(before), int64_t(1), charges(id));
    ledgerBalances();
    db_->sql("UPDATE servers SET state = 'DELETED', deleted_at = UTC_TIMESTAMP() WHERE user_id = ?").arg(u.id).update();
    db_->sql("DELETE FROM server_ports WHERE server_id IN (SELECT id FROM servers WHERE user_id = ?)").arg(u.id).update();
  }

  // Expired sign-in sessions are deleted by the pass; live ones stay and still sign in.
  void aPassPurgesExpiredSessionsOnly() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("purge"));
    int64_t user = count("SELECT MAX(id) FROM users WHERE ? = 0", 0);
    std::string expired(64, 'e');
    db_->sql("INSERT INTO sessions (token_hash, user_id, expires_at) VALUES (?, ?, UTC_TIMESTAMP(6) - INTERVAL 1 SECOND)")
        .arg(expired).arg(user).update();
    tick(time(nullptr));
    CPPUNIT_ASSERT_EQUAL(int64_t(0), count("SELECT COUNT(*) FROM sessions WHERE token_hash = REPEAT('e', ?)", 64));
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/dashboard").status);  // the live session still works
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(LifecycleTest);
