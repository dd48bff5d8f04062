// Tests of what gsp-proxy answers a Minecraft client while the game is down:
// status and ping answered, login handed over, everything else closed.
#include <cppunit/extensions/HelperMacros.h>

#include "minecraft_codec.h"
#include "minecraft_greeter.h"

using namespace gsp::proxy;
using namespace gsp::proxy::minecraft;
using Action = MinecraftGreeter::Action;

namespace {

std::string handshake(int next_state, int protocol = 767) {
  std::string body;
  appendVarInt(&body, protocol);
  appendString(&body, "mc.example.com");
  body += std::string("\x63\xdd", 2);
  appendVarInt(&body, next_state);
  return encodeFrame(0x00, body);
}

}  // namespace

class MinecraftGreeterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MinecraftGreeterTest);
  CPPUNIT_TEST(statusPingIsAnsweredAndClosed);
  CPPUNIT_TEST(bytesArrivingOneAtATime);
  CPPUNIT_TEST(loginIsHandedOver);
  CPPUNIT_TEST(garbageAndLegacyPingsClose);
  CPPUNIT_TEST(randomBytesNeverCrash);
  CPPUNIT_TEST_SUITE_END();

 public:
  void statusPingIsAnsweredAndClosed() {
    MinecraftGreeter g("Sleeping - join to wake");
    std::string in = handshake(1) + encodeFrame(0x00, "");
    MinecraftGreeter::Step s = g.feed(in);
    CPPUNIT_ASSERT(s.action == Action::kReply);
    CPPUNIT_ASSERT(s.reply.find("Sleeping - join to wake") != std::string::npos);
    CPPUNIT_ASSERT(s.reply.find("\"protocol\":767") != std::string::npos);
    CPPUNIT_ASSERT(g.feed(in).action == Action::kNeedMore);
    in += encodeFrame(0x01, "ABCDEFGH");
    s = g.feed(in);
    CPPUNIT_ASSERT(s.action == Action::kReplyAndClose);
    CPPUNIT_ASSERT(s.reply == pongFrame("ABCDEFGH"));
  }

  void bytesArrivingOneAtATime() {
    MinecraftGreeter g("zzz");
    std::string all = handshake(1) + encodeFrame(0x00, "") + encodeFrame(0x01, "12345678");
    std::string in;
    int replies = 0;
    bool closed = false;
    for (char c : all) {
      in.push_back(c);
      MinecraftGreeter::Step s = g.feed(in);
      CPPUNIT_ASSERT(s.action != Action::kClose && s.action != Action::kLogin);
      if (s.action == Action::kReply) ++replies;
      if (s.action == Action::kReplyAndClose) closed = true;
    }
    CPPUNIT_ASSERT_EQUAL(1, replies);
    CPPUNIT_ASSERT(closed);
  }

  void loginIsHandedOver() {
    for (int state : {2, 3}) {
      MinecraftGreeter g("zzz");
      std::string login_start;
      appendString(&login_start, "Steve");
      CPPUNIT_ASSERT(g.feed(handshake(state) + encodeFrame(0x00, login_start)).action == Action::kLogin);
      CPPUNIT_ASSERT_EQUAL(767, g.handshake().protocol_version);
    }
  }

  void garbageAndLegacyPingsClose() {
    struct Case { std::string name, bytes; } cases[] = {
        {"legacy ping", std::string("\xfe\x01\xfa", 3)},
        {"http request", "GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\nX-Pad: 0123456789abcdef\r\n\r\n"},
        {"wrong first packet id", encodeFrame(0x05, "abc")},
        {"handshake with bad state", handshake(7)},
        {"status then login start id", handshake(1) + encodeFrame(0x00, "x")},
        {"ping with short payload", handshake(1) + encodeFrame(0x00, "") + encodeFrame(0x01, "1234")},
        {"oversized length", std::string("\xff\xff\x7f", 3)},
        {"tls hello", std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + std::string(40, 0x5a)},
    };
    for (const auto& c : cases) {
      MinecraftGreeter g("zzz");
      Action last = Action::kNeedMore;
      for (int i = 0; i < 3 && (last == Action::kNeedMore || last == Action::kReply); ++i)
        last = g.feed(c.bytes).action;
      CPPUNIT_ASSERT_MESSAGE(c.name, last == Action::kClose);
    }
  }

  void randomBytesNeverCrash() {
    uint32_t x = 12345;
    for (int round = 0; round < 2000; ++round) {
      MinecraftGreeter g("zzz");
      std::string in;
      int len = static_cast<int>(x % 64);
      for (int i = 0; i < len; ++i) {
        x = x * 1664525u + 1013904223u;
        in.push_back(static_cast<char>(x >> 24));
        g.feed(in);  // must not crash or read out of bounds (see the ASan run in proxy/README.md)
      }
      x = x * 1664525u + 1013904223u;
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MinecraftGreeterTest);
