// Integration tests of --minecraft with raw sockets: the cases a real client
// library does not produce (half-closed pings, legacy pings, garbage). The
// client-library view is tests/proxy/minecraft/minecraft.test.mjs.
#include <cppunit/extensions/HelperMacros.h>

#include <sys/socket.h>

#include <chrono>
#include <thread>

#include "minecraft_codec.h"
#include "proxy_harness.h"

using namespace gsp::test;
namespace mc = gsp::proxy::minecraft;

namespace {

std::string handshake(int next_state) {
  std::string body;
  mc::appendVarInt(&body, 767);
  mc::appendString(&body, "localhost");
  body += std::string("\x63\xdd", 2);
  mc::appendVarInt(&body, next_state);
  return mc::encodeFrame(0x00, body);
}

// Reads one whole frame, a byte at a time (frames here are small); empty on
// timeout or close.
std::string readFrame(int fd) {
  std::string got, byte;
  while (recvExact(fd, 1, &byte, 3000)) {
    got += byte;
    mc::Frame f;
    if (mc::readFrame(got, 1 << 20, &f) == mc::Parse::kOk) return got;
  }
  return "";
}

}  // namespace

class ProxyMinecraftTest : public CppUnit::TestFixture {
 public:
  // While the game runs, a connection that only asks for the server-list
  // status reaches the game (handshake first) but is reported as no player and
  // its traffic keeps the server no more awake; a login is a player.
  void statusPingsToARunningGameAreNoPlayers() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());  // the demo game echoes what reaches it
    CPPUNIT_ASSERT(h.startProxy({"--minecraft", "--activity-interval=200ms"}, "tcp:{pub}={game}"));
    UniqueFd ping = connectTcp(h.publicPort());
    std::string request = handshake(1) + mc::encodeFrame(0x00, "");
    std::string echoed;
    CPPUNIT_ASSERT(sendAll(ping.get(), request) && recvExact(ping.get(), request.size(), &echoed, 3000));
    CPPUNIT_ASSERT(echoed == request);
    sleepMs(600);
    WebhookCall pinged = h.hooks().calls("/activity").back();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(pinged.body, int64_t(0), pinged.number("tcp_connections"));
    CPPUNIT_ASSERT_MESSAGE(pinged.body, pinged.number("last_traffic_at") <= 0);
    UniqueFd player = connectTcp(h.publicPort());
    std::string login = handshake(2) + mc::encodeFrame(0x00, std::string("\x05Steve", 6));
    CPPUNIT_ASSERT(sendAll(player.get(), login) && recvExact(player.get(), login.size(), &echoed, 3000));
    sleepMs(600);
    WebhookCall playing = h.hooks().calls("/activity").back();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(playing.body, int64_t(1), playing.number("tcp_connections"));
    CPPUNIT_ASSERT(playing.number("last_traffic_at") > 1700000000);
  }

 private:
  CPPUNIT_TEST_SUITE(ProxyMinecraftTest);
  CPPUNIT_TEST(halfClosedStatusPingIsStillAnswered);
  CPPUNIT_TEST(statusPingsToARunningGameAreNoPlayers);
  CPPUNIT_TEST(legacyAndMalformedGreetingsAreClosedWithoutWaking);
  CPPUNIT_TEST(heldLoginGetsADisconnectFrameOnTimeout);
  CPPUNIT_TEST_SUITE_END();

 public:
  void halfClosedStatusPingIsStillAnswered() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy({"--minecraft", "--minecraft-sleeping-motd=zzz"}, "tcp:{pub}={game}"));
    UniqueFd c = connectTcp(h.publicPort());
    CPPUNIT_ASSERT(sendAll(c.get(), handshake(1) + mc::encodeFrame(0x00, "")));
    shutdown(c.get(), SHUT_WR);  // data and FIN together
    std::string frame = readFrame(c.get());
    CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), frame.find("\"text\":\"zzz\"") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("eof"), waitForClose(c.get(), 3000));
    CPPUNIT_ASSERT_EQUAL(size_t(0), h.hooks().calls("/wake").size());
  }

  void legacyAndMalformedGreetingsAreClosedWithoutWaking() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startProxy({"--minecraft"}, "tcp:{pub}={game}"));
    for (std::string bytes : {std::string("\xfe\x01\xfa", 3), std::string("\x05\x07garbage", 9),
                              handshake(9), std::string("\xff\xff\xff\xff\xff\x01", 6)}) {
      UniqueFd c = connectTcp(h.publicPort());
      CPPUNIT_ASSERT(sendAll(c.get(), bytes));
      std::string how = waitForClose(c.get(), 3000);
      CPPUNIT_ASSERT_MESSAGE(how, how == "eof" || how == "reset");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CPPUNIT_ASSERT(h.proxy().running());
    CPPUNIT_ASSERT_EQUAL(size_t(0), h.hooks().calls("/wake").size());
  }

  void heldLoginGetsADisconnectFrameOnTimeout() {
    ProxyHarness h;
    // Three loops and six logins: some are accepted by workers and handed, with
    // the bytes they sent, to the control loop, which must still parse them.
    CPPUNIT_ASSERT(h.startProxy({"--minecraft", "--hold-timeout=1s", "--minecraft-kick-message=later please",
                                 "--workers=3"},
                                "tcp:{pub}={game}"));
    std::string login;
    mc::appendString(&login, "Steve");
    std::vector<UniqueFd> clients;
    for (int i = 0; i < 6; ++i) {
      clients.push_back(connectTcp(h.publicPort()));
      CPPUNIT_ASSERT(sendAll(clients.back().get(), handshake(2) + mc::encodeFrame(0x00, login)));
    }
    CPPUNIT_ASSERT(h.hooks().waitForCalls("/wake", 1, 3000));
    CPPUNIT_ASSERT_EQUAL(std::string("minecraft-login"), h.hooks().calls("/wake")[0].text("reason"));
    for (auto& c : clients) {
      std::string frame = readFrame(c.get());
      mc::Frame f;
      CPPUNIT_ASSERT_MESSAGE(h.proxyLog(), mc::readFrame(frame, 1 << 20, &f) == mc::Parse::kOk);
      CPPUNIT_ASSERT_EQUAL(0, f.id);
      CPPUNIT_ASSERT(std::string(f.body).find("{\"text\":\"later please\"}") != std::string::npos);
      CPPUNIT_ASSERT_EQUAL(std::string("eof"), waitForClose(c.get(), 3000));
    }
    CPPUNIT_ASSERT_EQUAL(size_t(1), h.hooks().calls("/wake").size());
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyMinecraftTest);
