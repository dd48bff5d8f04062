// Integration tests of gsp-proxy's TCP side against the real demo game and a
// signed-webhook receiver: hold and wake, ordering, 500 held clients, one wake
// per waking period, hold timeout, refusal, upstream death, half-close,
// backpressure with large transfers, unix-socket webhooks, activity reports,
// garbage input.
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <chrono>
#include <thread>

#include "proxy_harness.h"

using namespace gsp::test;

namespace {


// Sends `msg` and expects the same bytes back.
bool echoes(int fd, const std::string& msg, int timeout_ms = 5000) {
  std::string got;
  return sendAll(fd, msg) && recvExact(fd, msg.size(), &got, timeout_ms) && got == msg;
}

std::string pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    seed = seed * 1664525u + 1013904223u;
    s[i] = static_cast<char>(seed >> 24);
  }
  return s;
}

}  // namespace

class ProxyTcpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyTcpTest);
  CPPUNIT_TEST(heldClientIsReplayedInOrderOnceTheGameStarts);
  CPPUNIT_TEST(fiveHundredHeldClientsAreAllServedWithOneWake);
  CPPUNIT_TEST(heldBytesStopAtTheHoldBudgetAndNothingIsLost);
  CPPUNIT_TEST(runningGameIsRelayedWithoutWaking);
  CPPUNIT_TEST(holdTimeoutClosesTheClientCleanly);
  CPPUNIT_TEST(refusedWakeClosesHeldClients);
  CPPUNIT_TEST(unreachableBackendIsRetriedWhileClientsWait);
  CPPUNIT_TEST(gameKilledMidStreamClosesClientAndLaterClientsWakeAgain);
  CPPUNIT_TEST(halfCloseIsForwarded);
  CPPUNIT_TEST(largeTransfersKeepEveryByteInBothRelayModes);
  CPPUNIT_TEST(wakeGoesOverAUnixSocket);
  CPPUNIT_TEST(activityReportsAreSignedAndCountBytes);
  CPPUNIT_TEST(aPlayerJoiningAnEmptyServerIsReportedAtOnce);
  CPPUNIT_TEST(garbageOnEveryPortNeverCrashesIt);
  CPPUNIT_TEST(badConfigurationStopsWithAClearMessage);
  CPPUNIT_TEST(gameStoppedSignalMakesTheNextClientWake);
  CPPUNIT_TEST(gameStartedSignalReportsItUpWithNoClient);
  CPPUNIT_TEST(sigtermStopsItWithExitCodeZero);
  CPPUNIT_TEST(theGameSeesOneJoinPerClientThroughAWake);
  CPPUNIT_TEST(oneAddressCannotTakeEveryHeldSlot);
  CPPUNIT_TEST(aRelaySilentBothWaysTooLongIsClosed);
  CPPUNIT_TEST_SUITE_END();

 public:
  void heldClientIsReplayedInOrderOnceTheGameStarts() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy());
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(c.valid());
    int64_t t0 = nowMs();
    // Bytes sent while the game sleeps, in several writes.
    for (int i = 0; i < 5; ++i) CPPUNIT_ASSERT(sendAll(c.get(), "part-" + std::to_string(i) + ";"));
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), h.hooks().waitForCalls("/wake", 1, 3000));
    WebhookCall wake = h.hooks().calls("/wake").at(0);
    CPPUNIT_ASSERT(wake.signature_ok);
    CPPUNIT_ASSERT_EQUAL(std::string("42"), wake.server);
    CPPUNIT_ASSERT_EQUAL(std::string("wake"), wake.text("event"));
    CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), wake.text("client"));
    CPPUNIT_ASSERT_EQUAL(int64_t(h.publicPort()), wake.number("port"));
    // The game comes up 2 s after the wake arrived.
    sleepMs(2000);
    CPPUNIT_ASSERT(h.startGame());
    std::string expected = "part-0;part-1;part-2;part-3;part-4;";
    std::string got;
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), recvExact(c.get(), expected.size(), &got, 5000));
    CPPUNIT_ASSERT_EQUAL(expected, got);
    CPPUNIT_ASSERT(nowMs() - t0 >= 2000);
    CPPUNIT_ASSERT(echoes(c.get(), "after-wake"));
    CPPUNIT_ASSERT_EQUAL(size_t(1), h.hooks().calls("/wake").size());
  }

  // Held clients together stop at --hold-budget-bytes, so a flood cannot grow
  // the proxy past its memory; what is not read waits in the clients' kernel
  // buffers and arrives intact once the game runs.
  void heldBytesStopAtTheHoldBudgetAndNothingIsLost() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy({"--hold-budget-bytes=100000", "--activity-interval=300ms"}));
    const int kClients = 6;
    const size_t kBytes = 50000;
    std::vector<UniqueFd> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(connectTcp(h.publicPort()));
      CPPUNIT_ASSERT(clients.back().valid());
      CPPUNIT_ASSERT(sendAll(clients.back().get(), std::string(kBytes, static_cast<char>('a' + i))));
    }
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
    sleepMs(1200);  // a few activity reports
    int64_t read_while_held = 0;
    for (const auto& r : h.hooks().calls("/activity")) read_while_held += r.number("bytes_from_clients");
    CPPUNIT_ASSERT_MESSAGE(std::to_string(read_while_held), read_while_held > 0 && read_while_held <= 100000);
    CPPUNIT_ASSERT(h.startGame());
    for (int i = 0; i < kClients; ++i) {
      std::string got;
      CPPUNIT_ASSERT_MESSAGE("client " + std::to_string(i), recvExact(clients[i].get(), kBytes, &got, 10000));
      CPPUNIT_ASSERT(got == std::string(kBytes, static_cast<char>('a' + i)));
    }
  }

  void fiveHundredHeldClientsAreAllServedWithOneWake() {
    ProxyHarness h;
    // Two loops: the clients the worker accepts are handed to the control loop
    // to wait. All from 127.0.0.1, so the per-address limit is raised.
    CPPUNIT_ASSERT(h.startProxy({"--workers=2", "--max-held-per-address=1000"}));
    const int kClients = 500;
    std::vector<UniqueFd> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(connectTcp(h.publicPort()));
      CPPUNIT_ASSERT_MESSAGE("client " + std::to_string(i), clients.back().valid());
      CPPUNIT_ASSERT(sendAll(clients.back().get(), "client-" + std::to_string(1000 + i)));
    }
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
    sleepMs(1000);
    CPPUNIT_ASSERT(h.startGame());
    int served = 0;
    for (int i = 0; i < kClients; ++i) {
      std::string want = "client-" + std::to_string(1000 + i), got;
      if (recvExact(clients[i].get(), want.size(), &got, 10000) && got == want) ++served;
    }
    CPPUNIT_ASSERT_EQUAL(kClients, served);
    // One waking period, one wake call.
    sleepMs(300);
    CPPUNIT_ASSERT_EQUAL(size_t(1), h.hooks().calls("/wake").size());
  }

  void runningGameIsRelayedWithoutWaking() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy());
    for (int i = 0; i < 20; ++i) {
      UniqueFd c = connectTcp(h.publicPort());
      CPPUNIT_ASSERT(echoes(c.get(), "ping-" + std::to_string(i), 2000));
    }
    CPPUNIT_ASSERT_EQUAL(size_t(0), h.hooks().calls("/wake").size());
  }

  void holdTimeoutClosesTheClientCleanly() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy({"--hold-timeout=1s"}));
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(sendAll(c.get(), "anyone there?"));
    int64_t t0 = nowMs();
    CPPUNIT_ASSERT_EQUAL(std::string("eof"), waitForClose(c.get(), 5000));  // FIN, not a reset
    int64_t waited = nowMs() - t0;
    CPPUNIT_ASSERT_MESSAGE(std::to_string(waited), waited >= 800 && waited < 3000);
    CPPUNIT_ASSERT(h.proxy().running());
  }

  void refusedWakeClosesHeldClients() {
    ProxyHarness h;
    h.hooks().setWakeStatus(402);  // e.g. out of credits
    CPPUNIT_ASSERT(h.startProxy({"--hold-timeout=30s"}));
    UniqueFd a = connectTcp(h.publicPort()), b = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(sendAll(a.get(), "x") && sendAll(b.get(), "y"));
    int64_t t0 = nowMs();
    CPPUNIT_ASSERT_EQUAL(std::string("eof"), waitForClose(a.get(), 5000));
    CPPUNIT_ASSERT_EQUAL(std::string("eof"), waitForClose(b.get(), 5000));
    CPPUNIT_ASSERT(nowMs() - t0 < 3000);
    CPPUNIT_ASSERT_EQUAL(size_t(1), h.hooks().calls("/wake").size());
    // A refusal ends the period: the next client asks again.
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(sendAll(c.get(), "z"));
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 2, 3000));
  }

  void unreachableBackendIsRetriedWhileClientsWait() {
    ProxyHarness h;
    h.hooks().setWakeStatus(503);
    CPPUNIT_ASSERT(h.startProxy({"--hold-timeout=20s"}));
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(sendAll(c.get(), "patient"));
    // Backoff 1 s then 2 s: the third call comes about 3 s after the first.
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 3, 6000));
    auto calls = h.hooks().calls("/wake");
    int64_t gap1 = calls[1].received_ms - calls[0].received_ms, gap2 = calls[2].received_ms - calls[1].received_ms;
    CPPUNIT_ASSERT_MESSAGE(std::to_string(gap1), gap1 >= 900 && gap1 < 1800);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(gap2), gap2 >= 1900 && gap2 < 3000);
    h.hooks().setWakeStatus(200);
    CPPUNIT_ASSERT(h.startGame());
    std::string got;
    CPPUNIT_ASSERT(recvExact(c.get(), 7, &got, 5000));
    CPPUNIT_ASSERT_EQUAL(std::string("patient"), got);
  }

  void gameKilledMidStreamClosesClientAndLaterClientsWakeAgain() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({"--workers=2"}));
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(echoes(c.get(), "before"));
    h.stopGame(SIGKILL);
    std::string how = waitForClose(c.get(), 3000);
    CPPUNIT_ASSERT_MESSAGE(how, how == "eof" || how == "reset");
    CPPUNIT_ASSERT_EQUAL(size_t(0), h.hooks().calls("/wake").size());
    UniqueFd d = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(sendAll(d.get(), "again"));
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), h.hooks().waitForCalls("/wake", 1, 3000));
    CPPUNIT_ASSERT(h.startGame());
    std::string got;
    CPPUNIT_ASSERT(recvExact(d.get(), 5, &got, 5000));
    CPPUNIT_ASSERT_EQUAL(std::string("again"), got);
  }

  void halfCloseIsForwarded() {
    for (std::string mode : {"splice", "copy"}) {
      ProxyHarness h;
      CPPUNIT_ASSERT(h.startGame());
      CPPUNIT_ASSERT(h.startProxy({"--relay=" + mode, "--workers=2"}));
      // Small: data and FIN often arrive in one segment burst; large: bulk path.
      for (size_t size : {size_t(1), size_t(1000), size_t(300000)}) {
        for (int i = 0; i < 5; ++i) {
          std::string what = mode + " " + std::to_string(size);
          UniqueFd c = connectTcp(h.publicPort());
          std::string msg = pattern(size, static_cast<uint32_t>(size + i));
          CPPUNIT_ASSERT(sendAll(c.get(), msg));
          shutdown(c.get(), SHUT_WR);  // "that is all": the echo must still come back in full, then EOF
          std::string got;
          CPPUNIT_ASSERT_MESSAGE(what, recvExact(c.get(), msg.size(), &got, 5000));
          CPPUNIT_ASSERT_MESSAGE(what, got == msg);
          CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string("eof"), waitForClose(c.get(), 3000));
        }
      }
    }
  }

  void largeTransfersKeepEveryByteInBothRelayModes() {
    for (std::string mode : {"splice", "copy"}) {
      ProxyHarness h;
      CPPUNIT_ASSERT(h.startGame());
      CPPUNIT_ASSERT(h.startProxy({"--relay=" + mode}));
      UniqueFd c = connectTcp(h.publicPort());
      // 32 MiB through an echo: the writer is blocked by the reader's pace
      // (backpressure both ways), so this runs the writer in a thread.
      std::string msg = pattern(32 << 20, 11);
      std::thread writer([&] { sendAll(c.get(), msg); });
      std::string got;
      bool ok = recvExact(c.get(), msg.size(), &got, 30000);
      writer.join();
      CPPUNIT_ASSERT_MESSAGE(mode, ok);
      CPPUNIT_ASSERT_MESSAGE(mode, got == msg);
    }
  }

  void wakeGoesOverAUnixSocket() {
    ProxyHarness h(/*unix_webhook=*/true);
    CPPUNIT_ASSERT(h.startProxy());
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(sendAll(c.get(), "via-unix"));
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), h.hooks().waitForCalls("/api/webhook/wake", 1, 3000));
    CPPUNIT_ASSERT(h.hooks().calls("/wake")[0].signature_ok);
    CPPUNIT_ASSERT(h.startGame());
    std::string got;
    CPPUNIT_ASSERT(recvExact(c.get(), 8, &got, 5000));
    CPPUNIT_ASSERT_EQUAL(std::string("via-unix"), got);
  }

  void activityReportsAreSignedAndCountBytes() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({"--activity-interval=500ms"}));
    // While a client is connected, interval reports see it live.
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(echoes(c.get(), std::string(1000, 'a')));
    // (The start-up "upstream-up" report may still be on its way: wait for an interval one.)
    size_t seen = h.hooks().calls("/activity").size();
    int64_t live_connections = -1;
    for (int64_t t = nowMs(); live_connections < 0 && nowMs() - t < 3000;) {
      CPPUNIT_ASSERT(h.hooks().waitForCalls("/activity", seen + 1, 2000));
      auto calls = h.hooks().calls("/activity");
      for (; seen < calls.size(); ++seen) {
        if (calls[seen].text("reason") == "interval") live_connections = calls[seen].number("tcp_connections");
      }
    }
    CPPUNIT_ASSERT_EQUAL(int64_t(1), live_connections);
    CPPUNIT_ASSERT(echoes(c.get(), std::string(500, 'b')));
    c.reset();
    // The last client leaving triggers a report at once.
    int64_t t0 = nowMs();
    int64_t from = 0, to = 0;
    bool saw_last_left = false;
    while (nowMs() - t0 < 3000 && !saw_last_left) {
      sleepMs(50);
      for (const auto& r : h.hooks().calls("/activity")) {
        if (r.text("reason") == "last-client-left") saw_last_left = true;
      }
    }
    CPPUNIT_ASSERT(saw_last_left);
    sleepMs(700);
    for (const auto& r : h.hooks().calls("/activity")) {
      CPPUNIT_ASSERT(r.signature_ok);
      CPPUNIT_ASSERT_EQUAL(std::string("42"), r.text("server_id"));
      from += r.number("bytes_from_clients");
      to += r.number("bytes_to_clients");
    }
    // Every byte counted exactly once over all reports.
    CPPUNIT_ASSERT_EQUAL(int64_t(1500), from);
    CPPUNIT_ASSERT_EQUAL(int64_t(1500), to);
    WebhookCall last = h.hooks().calls("/activity").back();
    CPPUNIT_ASSERT_EQUAL(int64_t(0), last.number("tcp_connections"));
    CPPUNIT_ASSERT(last.number("last_traffic_at") > 1700000000);
    CPPUNIT_ASSERT(last.body.find("\"upstream_up\":true") != std::string::npos);
  }

  // A server last reported empty may be near its idle deadline: a player who
  // joins is reported within about a second, not at the next interval (1 h
  // here). A connect that is gone within that second is not.
  void aPlayerJoiningAnEmptyServerIsReportedAtOnce() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({"--activity-interval=1h"}));
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/activity", 1, 5000));  // "upstream-up" at start
    auto joined = [&h] {
      int n = 0;
      for (const auto& r : h.hooks().calls("/activity")) n += r.text("reason") == "player-joined";
      return n;
    };
    {
      UniqueFd scan = connectTcp(h.publicPort());  // a scanner's connect, closed at once
    }
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/activity", 2, 3000));  // its "last-client-left"
    sleepMs(1500);
    CPPUNIT_ASSERT_EQUAL(0, joined());

    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(echoes(c.get(), "hello"));
    int64_t t0 = nowMs();
    while (joined() == 0 && nowMs() - t0 < 3000) sleepMs(20);
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), joined() == 1);
    for (const auto& r : h.hooks().calls("/activity")) {
      if (r.text("reason") == "player-joined") CPPUNIT_ASSERT_EQUAL(int64_t(1), r.number("tcp_connections"));
    }
    // A second player on a server already reported busy makes no report of its own.
    UniqueFd d = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(echoes(d.get(), "again"));
    sleepMs(1500);
    CPPUNIT_ASSERT_EQUAL(1, joined());
  }

  void garbageOnEveryPortNeverCrashesIt() {
    for (bool minecraft : {false, true}) {
      ProxyHarness h;
      std::vector<std::string> extra = {"--hold-timeout=300ms", "--max-held-clients=50"};
      if (minecraft) extra.push_back("--minecraft");
      CPPUNIT_ASSERT(h.startProxy(extra));
      UniqueFd u = udpSocket();
      uint32_t seed = 99;
      for (int round = 0; round < 200; ++round) {
        UniqueFd c = connectTcp(h.publicPort());
        if (!c.valid()) continue;  // over the held limit: refused, which is fine
        std::string junk = pattern(1 + (round * 37) % 3000, seed++);
        sendAll(c.get(), junk);
        if (round % 3 == 0) {
          linger hard{1, 0};  // some clients vanish with a reset
          setsockopt(c.get(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        }
        udpSend(u.get(), h.publicPort(), junk.substr(0, 1400));
      }
      udpSend(u.get(), h.publicPort(), std::string(9000, 'x'));  // oversize
      udpSend(u.get(), h.publicPort(), "");                      // empty
      sleepMs(500);
      CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), h.proxy().running());
      // Still serving: the game starts and a real client gets its echo.
      CPPUNIT_ASSERT(h.startGame());
      sleepMs(200);
      UniqueFd ok = connectTcp(h.publicPort());
      if (minecraft) {
        CPPUNIT_ASSERT(ok.valid());  // the Minecraft path is covered by the npm client test
      } else {
        CPPUNIT_ASSERT(echoes(ok.get(), "still alive"));
      }
    }
  }

  void badConfigurationStopsWithAClearMessage() {
    TempDir dir;
    Process p;
    CPPUNIT_ASSERT(p.start({proxyBinary(), "--port=tcp:70000", "--server-id=1", "--wake-url=http://h/w"},
                           {{"GSP_PROXY_SECRET", ProxyHarness::kSecret}}, dir.path() + "/out.log"));
    int status = p.stop(0, 3000);
    CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    CPPUNIT_ASSERT_MESSAGE(p.log(), p.log().find("--port") != std::string::npos);
    // A port already taken is reported by address.
    uint16_t port = freePort();
    UniqueFd holder(socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CPPUNIT_ASSERT(bind(holder.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    listen(holder.get(), 1);
    Process q;
    CPPUNIT_ASSERT(q.start({proxyBinary(), "--port=tcp:" + std::to_string(port), "--listen-address=127.0.0.1",
                            "--server-id=1", "--wake-url=http://h/w"},
                           {{"GSP_PROXY_SECRET", ProxyHarness::kSecret}}, dir.path() + "/out2.log"));
    status = q.stop(0, 3000);
    CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    CPPUNIT_ASSERT_MESSAGE(q.log(), q.log().find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  }

  // The platform sends SIGUSR2 after it stops the game: the proxy stays up and
  // the next client wakes the game instead of being relayed to nothing.
  void gameStoppedSignalMakesTheNextClientWake() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy());
    {
      UniqueFd c = connectTcp(h.publicPort());
      CPPUNIT_ASSERT(echoes(c.get(), "awake"));
    }
    h.stopGame(SIGTERM);
    h.proxy().signal(SIGUSR2);
    UniqueFd d = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(sendAll(d.get(), "wake up"));
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), h.hooks().waitForCalls("/wake", 1, 3000));
    CPPUNIT_ASSERT(h.proxyLog().find("SIGUSR2: the game was stopped") != std::string::npos);
    CPPUNIT_ASSERT(h.startGame());
    std::string got;
    CPPUNIT_ASSERT(recvExact(d.get(), 7, &got, 5000));
    CPPUNIT_ASSERT_EQUAL(std::string("wake up"), got);
  }

  // The platform sends SIGUSR1 after it starts the game (a dashboard wake):
  // with nobody connecting, the proxy probes it, never calls wake, and reports
  // "upstream-up" as soon as it accepts, so the server becomes RUNNING.
  void gameStartedSignalReportsItUpWithNoClient() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy());
    sleepMs(300);  // its start-up check found nothing
    h.proxy().signal(SIGUSR1);
    sleepMs(1200);  // a few probes fail while the game boots
    CPPUNIT_ASSERT(h.startGame());
    bool up = false;
    for (int64_t t = nowMs(); !up && nowMs() - t < 5000; sleepMs(50)) {
      for (const auto& r : h.hooks().calls("/activity")) {
        if (r.text("reason") == "upstream-up" && r.body.find("\"upstream_up\":true") != std::string::npos) up = true;
      }
    }
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), up);
    CPPUNIT_ASSERT(h.proxyLog().find("SIGUSR1: the game was started") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(size_t(0), h.hooks().calls("/wake").size());
  }

  void sigtermStopsItWithExitCodeZero() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy());
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(echoes(c.get(), "bye"));
    int status = h.proxy().stop(SIGTERM, 3000);
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }

  // The readiness check while the game wakes is the first held client's own
  // connection: the demo game's log shows one join per client, no
  // connect-and-leave of a probe.
  void theGameSeesOneJoinPerClientThroughAWake() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy());
    std::vector<UniqueFd> clients;
    for (int i = 0; i < 3; ++i) {
      clients.push_back(connectTcp(h.publicPort()));
      CPPUNIT_ASSERT(sendAll(clients.back().get(), "hello " + std::to_string(i) + ";"));
    }
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
    sleepMs(500);  // probes fail meanwhile: nothing listens
    CPPUNIT_ASSERT(h.startGame(/*by_log=*/true));
    for (int i = 0; i < 3; ++i) {
      std::string expected = "hello " + std::to_string(i) + ";", got;
      CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), recvExact(clients[i].get(), expected.size(), &got, 5000));
      CPPUNIT_ASSERT_EQUAL(expected, got);
    }
    CPPUNIT_ASSERT_EQUAL_MESSAGE(h.game().log(), 3, h.gameLogCount("player joined from"));
    CPPUNIT_ASSERT_EQUAL_MESSAGE(h.game().log(), 0, h.gameLogCount("player 127.0.0.1"));  // no one left
  }

  // --max-held-per-address: the clients of one address beyond it are closed;
  // another address still gets held, and everyone held is relayed once up.
  void oneAddressCannotTakeEveryHeldSlot() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy({"--max-held-per-address=3"}));
    std::vector<UniqueFd> same;
    for (int i = 0; i < 5; ++i) same.push_back(connectTcp(h.publicPort()));
    UniqueFd other = connectTcp(h.publicPort(), 2000, "127.0.0.2");
    CPPUNIT_ASSERT(other.valid());
    for (int i = 3; i < 5; ++i) CPPUNIT_ASSERT_EQUAL(std::string("eof"), waitForClose(same[i].get(), 2000));
    CPPUNIT_ASSERT_EQUAL(std::string("timeout"), waitForClose(other.get(), 300));
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
    CPPUNIT_ASSERT(h.startGame());
    for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), echoes(same[i].get(), "held " + std::to_string(i)));
    CPPUNIT_ASSERT(echoes(other.get(), "from another address"));
  }

  // --tcp-idle-timeout: a relayed connection with no byte either way that
  // long is closed; one that talks stays.
  void aRelaySilentBothWaysTooLongIsClosed() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({"--tcp-idle-timeout=1s"}));
    UniqueFd quiet = connectTcp(h.publicPort()), talking = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(echoes(quiet.get(), "hello") && echoes(talking.get(), "hello"));
    for (int i = 0; i < 8; ++i) {
      sleepMs(300);
      CPPUNIT_ASSERT_MESSAGE("round " + std::to_string(i), echoes(talking.get(), "still here"));
    }
    CPPUNIT_ASSERT_EQUAL(std::string("eof"), waitForClose(quiet.get(), 1000));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyTcpTest);
