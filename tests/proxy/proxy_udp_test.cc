// Integration tests of gsp-proxy's UDP side against the real demo game:
// datagrams buffered during a wake arrive in order, sessions per client,
// one port relaying both TCP and UDP, idle expiry, drops counted.
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "proxy_harness.h"

using namespace gsp::test;

namespace {
}  // namespace

class ProxyUdpTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyUdpTest);
  CPPUNIT_TEST(datagramsSentDuringWakeArriveInOrder);
  CPPUNIT_TEST(eachClientGetsItsOwnReplies);
  CPPUNIT_TEST(aQueryIsNoPlayerTwoWayTrafficLongEnoughIs);
  CPPUNIT_TEST(samePortRelaysTcpAndUdp);
  CPPUNIT_TEST(udpOnlyGameIsProbedAndWoken);
  CPPUNIT_TEST(idleSessionsExpireAndDropsAreCounted);
  CPPUNIT_TEST(heldDatagramsAreBoundedByCountAndBytes);
  CPPUNIT_TEST(aLoneDatagramWakesNothing);
  CPPUNIT_TEST(burstsKeepEveryDatagramWhole);
  CPPUNIT_TEST(oneAddressCannotTakeEveryUdpSession);
  CPPUNIT_TEST(theGameSeesOnePlayerPerClientThroughAWake);
  CPPUNIT_TEST_SUITE_END();

 public:
  void datagramsSentDuringWakeArriveInOrder() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy());
    UniqueFd u = udpSocket();
    for (int i = 0; i < 20; ++i) CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), "dgram-" + std::to_string(i)));
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), h.hooks().waitForCalls("/wake", 1, 3000));
    WebhookCall wake = h.hooks().calls("/wake")[0];
    CPPUNIT_ASSERT(wake.signature_ok);
    CPPUNIT_ASSERT_EQUAL(std::string("udp"), wake.text("protocol"));
    sleepMs(1000);
    CPPUNIT_ASSERT(h.startGame());
    for (int i = 0; i < 20; ++i) {
      std::string got;
      CPPUNIT_ASSERT_MESSAGE("datagram " + std::to_string(i) + "\n" + h.proxyLog(), udpRecv(u.get(), &got, 5000));
      CPPUNIT_ASSERT_EQUAL("dgram-" + std::to_string(i), got);
    }
    CPPUNIT_ASSERT_EQUAL(size_t(1), h.hooks().calls("/wake").size());
  }

  void eachClientGetsItsOwnReplies() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy());
    std::vector<UniqueFd> clients;
    for (int i = 0; i < 20; ++i) clients.push_back(udpSocket());
    for (int round = 0; round < 5; ++round) {
      for (int i = 0; i < 20; ++i)
        CPPUNIT_ASSERT(udpSend(clients[i].get(), h.publicPort(), "c" + std::to_string(i) + "r" + std::to_string(round)));
      for (int i = 0; i < 20; ++i) {
        std::string got;
        CPPUNIT_ASSERT(udpRecv(clients[i].get(), &got, 3000));
        CPPUNIT_ASSERT_EQUAL("c" + std::to_string(i) + "r" + std::to_string(round), got);
      }
    }
  }

  // A one-off exchange (a server-browser query) is relayed but is no player:
  // reports say no UDP players and no player traffic. A session that keeps
  // trading datagrams past --udp-player-after is one.
  void aQueryIsNoPlayerTwoWayTrafficLongEnoughIs() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({"--udp-player-after=1s", "--activity-interval=200ms"}, "udp:{pub}={game}"));
    UniqueFd query = udpSocket();
    std::string got;
    CPPUNIT_ASSERT(udpSend(query.get(), h.publicPort(), "A2S_INFO?") && udpRecv(query.get(), &got, 3000));
    sleepMs(1500);
    WebhookCall quiet = h.hooks().calls("/activity").back();
    CPPUNIT_ASSERT_EQUAL(int64_t(0), quiet.number("udp_sessions"));
    CPPUNIT_ASSERT_MESSAGE(quiet.body, quiet.number("last_traffic_at") <= 0);
    UniqueFd player = udpSocket();
    for (int i = 0; i < 10; ++i) {
      CPPUNIT_ASSERT(udpSend(player.get(), h.publicPort(), "move " + std::to_string(i)) && udpRecv(player.get(), &got, 3000));
      sleepMs(200);
    }
    sleepMs(500);
    WebhookCall playing = h.hooks().calls("/activity").back();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(playing.body, int64_t(1), playing.number("udp_sessions"));
    CPPUNIT_ASSERT(playing.number("last_traffic_at") > 1700000000);
  }

  void samePortRelaysTcpAndUdp() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({}, "tcp+udp:{pub}={game}"));
    UniqueFd t = connectTcp(h.publicPort());
    UniqueFd u = udpSocket();
    std::string got;
    CPPUNIT_ASSERT(sendAll(t.get(), "over-tcp") && recvExact(t.get(), 8, &got, 3000));
    CPPUNIT_ASSERT_EQUAL(std::string("over-tcp"), got);
    CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), "over-udp") && udpRecv(u.get(), &got, 3000));
    CPPUNIT_ASSERT_EQUAL(std::string("over-udp"), got);
  }

  void udpOnlyGameIsProbedAndWoken() {
    // No TCP port at all: readiness comes from the UDP probe (no ICMP refusal).
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy({}, "udp:{pub}={game}"));
    UniqueFd u = udpSocket();
    CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), "first"));
    CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), "second"));
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
    sleepMs(500);
    CPPUNIT_ASSERT(h.startGame());
    std::string got;
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), udpRecv(u.get(), &got, 5000));
    CPPUNIT_ASSERT_EQUAL(std::string("first"), got);
    CPPUNIT_ASSERT(udpRecv(u.get(), &got, 5000));
    CPPUNIT_ASSERT_EQUAL(std::string("second"), got);
  }

  void idleSessionsExpireAndDropsAreCounted() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({"--udp-idle-timeout=1s", "--udp-max-datagram=1000", "--activity-interval=1h"}));
    UniqueFd u = udpSocket();
    std::string got;
    CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), "hello") && udpRecv(u.get(), &got, 3000));
    CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), std::string(1001, 'x')));  // oversize: dropped
    CPPUNIT_ASSERT(!udpRecv(u.get(), &got, 300));
    CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), std::string(1000, 'y')) && udpRecv(u.get(), &got, 3000));
    CPPUNIT_ASSERT_EQUAL(size_t(1000), got.size());
    // After the idle timeout the session ends; being the last client, a report says so.
    // (The first report came at start: the game already accepted, "upstream-up".)
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), h.hooks().waitForCalls("/activity", 2, 4000));
    CPPUNIT_ASSERT_EQUAL(std::string("upstream-up"), h.hooks().calls("/activity").front().text("reason"));
    WebhookCall r = h.hooks().calls("/activity").back();
    CPPUNIT_ASSERT_EQUAL(std::string("last-client-left"), r.text("reason"));
    CPPUNIT_ASSERT_EQUAL(int64_t(0), r.number("udp_sessions"));
    CPPUNIT_ASSERT_EQUAL(int64_t(1), r.number("dropped_datagrams"));
    CPPUNIT_ASSERT_EQUAL(int64_t(1005), r.number("bytes_from_clients"));
    CPPUNIT_ASSERT_EQUAL(int64_t(1005), r.number("bytes_to_clients"));
  }

  void heldDatagramsAreBoundedByCountAndBytes() {
    struct Case { size_t size; size_t delivered; } cases[] = {{300, 5}, {500, 4}};  // 5 datagrams, 2000 bytes
    for (const auto& c : cases) {
      ProxyHarness h;
      CPPUNIT_ASSERT(h.startProxy({"--udp-hold-datagrams=5", "--hold-buffer-bytes=2000"}));
      UniqueFd u = udpSocket();
      for (int i = 0; i < 10; ++i) {
        std::string d(c.size, static_cast<char>('a' + i));
        CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), d));
      }
      CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
      CPPUNIT_ASSERT(h.startGame());
      size_t got_count = 0;
      std::string got;
      while (udpRecv(u.get(), &got, 1500)) {
        CPPUNIT_ASSERT_EQUAL(std::string(c.size, static_cast<char>('a' + got_count)), got);  // the first ones, in order
        ++got_count;
      }
      CPPUNIT_ASSERT_EQUAL(c.delivered, got_count);
    }
  }

  // Bursts go on as GSO sends (runs of equal size): each datagram still
  // arrives whole, in order, with its own size, both ways.
  void burstsKeepEveryDatagramWhole() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({}, "udp:{pub}={game}"));
    UniqueFd u = udpSocket();
    int rcvbuf = 4 << 20;
    setsockopt(u.get(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    std::vector<std::string> sent;
    for (int i = 0; i < 300; ++i) {
      size_t size = i % 50 == 49 ? 57 : i % 70 == 3 ? 1400 : 100;  // runs broken by other sizes
      std::string d(size, static_cast<char>('a' + i % 26));
      d.replace(0, std::min<size_t>(d.size(), 4), std::to_string(i).substr(0, 4));
      sent.push_back(d);
    }
    for (size_t first = 0; first < sent.size(); first += 60) {  // 60 at once, then their echoes
      size_t last = std::min(sent.size(), first + 60);
      for (size_t i = first; i < last; ++i) CPPUNIT_ASSERT(udpSend(u.get(), h.publicPort(), sent[i]));
      for (size_t i = first; i < last; ++i) {
        std::string got;
        CPPUNIT_ASSERT_MESSAGE("datagram " + std::to_string(i), udpRecv(u.get(), &got, 3000));
        CPPUNIT_ASSERT_EQUAL(sent[i], got);
      }
    }
  }

  // --max-udp-sessions-per-address: a third source port of one address gets
  // nothing; another address still does.
  void oneAddressCannotTakeEveryUdpSession() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    CPPUNIT_ASSERT(h.startProxy({"--max-udp-sessions-per-address=2"}, "udp:{pub}={game}"));
    UniqueFd a = udpSocket(), b = udpSocket(), c = udpSocket(), other = udpSocket("127.0.0.2");
    std::string got;
    CPPUNIT_ASSERT(udpSend(a.get(), h.publicPort(), "a") && udpRecv(a.get(), &got, 3000));
    CPPUNIT_ASSERT(udpSend(b.get(), h.publicPort(), "b") && udpRecv(b.get(), &got, 3000));
    CPPUNIT_ASSERT(udpSend(c.get(), h.publicPort(), "c"));
    CPPUNIT_ASSERT(!udpRecv(c.get(), &got, 500));
    CPPUNIT_ASSERT(udpSend(other.get(), h.publicPort(), "other") && udpRecv(other.get(), &got, 3000));
    CPPUNIT_ASSERT_EQUAL(std::string("other"), got);
  }

  // A scanner's probe, a stray packet: one datagram and nothing more wakes
  // nothing and is dropped; a client that sends again within the window wakes it.
  void aLoneDatagramWakesNothing() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy({"--udp-wake-window=300ms", "--activity-interval=1h"}, "udp:{pub}={game}"));
    UniqueFd scanner = udpSocket();
    CPPUNIT_ASSERT(udpSend(scanner.get(), h.publicPort(), "probe"));
    sleepMs(1200);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(h.proxyLog(), size_t(0), h.hooks().calls("/wake").size());
    UniqueFd client = udpSocket();
    CPPUNIT_ASSERT(udpSend(client.get(), h.publicPort(), "join"));
    CPPUNIT_ASSERT(udpSend(client.get(), h.publicPort(), "join again"));
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
    CPPUNIT_ASSERT(h.startGame());
    std::string got;
    CPPUNIT_ASSERT(udpRecv(client.get(), &got, 5000));
    CPPUNIT_ASSERT_EQUAL(std::string("join"), got);
    CPPUNIT_ASSERT(!udpRecv(scanner.get(), &got, 300));  // the stray datagram went nowhere
  }

  // The readiness check while the game wakes is the held clients' own
  // traffic: the demo game sees each client once, no probe of ours. Over UDP
  // on a UDP-only game and on a game with a TCP port too.
  void theGameSeesOnePlayerPerClientThroughAWake() {
    for (const char* ports : {"udp:{pub}={game}", "tcp+udp:{pub}={game}"}) {
      ProxyHarness h;
      CPPUNIT_ASSERT(h.startProxy({}, ports));
      UniqueFd a = udpSocket(), b = udpSocket();
      for (int i = 0; i < 2; ++i) {
        CPPUNIT_ASSERT(udpSend(a.get(), h.publicPort(), "a" + std::to_string(i)));
        CPPUNIT_ASSERT(udpSend(b.get(), h.publicPort(), "b" + std::to_string(i)));
      }
      CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
      sleepMs(500);  // probes fail meanwhile: nothing listens
      CPPUNIT_ASSERT(h.startGame(/*by_log=*/true));
      std::string got;
      for (int i = 0; i < 2; ++i) {
        CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), udpRecv(a.get(), &got, 5000));
        CPPUNIT_ASSERT_EQUAL("a" + std::to_string(i), got);
        CPPUNIT_ASSERT(udpRecv(b.get(), &got, 5000));
        CPPUNIT_ASSERT_EQUAL("b" + std::to_string(i), got);
      }
      CPPUNIT_ASSERT_EQUAL_MESSAGE(h.game().log(), 2, h.gameLogCount("udp player seen from"));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(h.game().log(), 0, h.gameLogCount("player joined from"));
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyUdpTest);
