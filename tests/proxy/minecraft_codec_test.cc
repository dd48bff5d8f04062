// Tests of the Minecraft wire codec: VarInt edge cases, framing, the
// handshake, and every kind of truncated or malformed input.
#include <cppunit/extensions/HelperMacros.h>

#include "byte_string.h"
#include "minecraft_codec.h"

using namespace gsp::proxy::minecraft;

namespace {

std::string handshakeBody(int protocol, const std::string& host, int port, int next) {
  std::string body;
  appendVarInt(&body, protocol);
  appendString(&body, host);
  body.push_back(static_cast<char>(port >> 8));
  body.push_back(static_cast<char>(port & 0xff));
  appendVarInt(&body, next);
  return body;
}

}  // namespace

class MinecraftCodecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MinecraftCodecTest);
  CPPUNIT_TEST(varIntsMatchTheProtocolTable);
  CPPUNIT_TEST(varIntTruncatedAndOversized);
  CPPUNIT_TEST(framesRoundTrip);
  CPPUNIT_TEST(framesTruncatedOrMalformed);
  CPPUNIT_TEST(handshakeParses);
  CPPUNIT_TEST(handshakeMalformedVariants);
  CPPUNIT_TEST(everyPrefixOfAValidHandshakeIsNeedMore);
  CPPUNIT_TEST(statusAndDisconnectEncode);
  CPPUNIT_TEST_SUITE_END();

 public:
  void varIntsMatchTheProtocolTable() {
    // The table from the protocol documentation.
    struct Case { int32_t value; std::string wire; } cases[] = {
        {0, bytes({0x00})},
        {1, bytes({0x01})},
        {127, bytes({0x7f})},
        {128, bytes({0x80, 0x01})},
        {255, bytes({0xff, 0x01})},
        {25565, bytes({0xdd, 0xc7, 0x01})},
        {2097151, bytes({0xff, 0xff, 0x7f})},
        {2147483647, bytes({0xff, 0xff, 0xff, 0xff, 0x07})},
        {-1, bytes({0xff, 0xff, 0xff, 0xff, 0x0f})},
        {-2147483648, bytes({0x80, 0x80, 0x80, 0x80, 0x08})},
    };
    for (const auto& c : cases) {
      std::string out;
      appendVarInt(&out, c.value);
      CPPUNIT_ASSERT_MESSAGE(std::to_string(c.value), out == c.wire);
      int32_t v = 0;
      size_t used = 0;
      CPPUNIT_ASSERT(readVarInt(c.wire, &v, &used) == Parse::kOk);
      CPPUNIT_ASSERT_EQUAL(c.value, v);
      CPPUNIT_ASSERT_EQUAL(c.wire.size(), used);
    }
  }

  void varIntTruncatedAndOversized() {
    int32_t v;
    size_t used;
    CPPUNIT_ASSERT(readVarInt("", &v, &used) == Parse::kNeedMore);
    CPPUNIT_ASSERT(readVarInt(bytes({0x80}), &v, &used) == Parse::kNeedMore);
    CPPUNIT_ASSERT(readVarInt(bytes({0xff, 0xff, 0xff, 0xff}), &v, &used) == Parse::kNeedMore);
    CPPUNIT_ASSERT(readVarInt(bytes({0xff, 0xff, 0xff, 0xff, 0xff}), &v, &used) == Parse::kMalformed);
    CPPUNIT_ASSERT(readVarInt(bytes({0xff, 0xff, 0xff, 0xff, 0x1f}), &v, &used) == Parse::kMalformed);
    CPPUNIT_ASSERT(readVarInt(bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x01}), &v, &used) == Parse::kMalformed);
  }

  void framesRoundTrip() {
    std::string wire = encodeFrame(0x00, "abc") + encodeFrame(0x01, "12345678");
    Frame f;
    CPPUNIT_ASSERT(readFrame(wire, kMaxGreetingFrame, &f) == Parse::kOk);
    CPPUNIT_ASSERT_EQUAL(0, f.id);
    CPPUNIT_ASSERT_EQUAL(std::string("abc"), std::string(f.body));
    CPPUNIT_ASSERT_EQUAL(size_t(5), f.size);
    CPPUNIT_ASSERT(readFrame(std::string_view(wire).substr(f.size), kMaxGreetingFrame, &f) == Parse::kOk);
    CPPUNIT_ASSERT_EQUAL(1, f.id);
    CPPUNIT_ASSERT_EQUAL(std::string("12345678"), std::string(f.body));
  }

  void framesTruncatedOrMalformed() {
    Frame f;
    std::string wire = encodeFrame(0x00, "abc");
    for (size_t n = 0; n < wire.size(); ++n)
      CPPUNIT_ASSERT(readFrame(wire.substr(0, n), kMaxGreetingFrame, &f) == Parse::kNeedMore);
    CPPUNIT_ASSERT(readFrame(bytes({0x00}), kMaxGreetingFrame, &f) == Parse::kMalformed);  // zero length
    CPPUNIT_ASSERT(readFrame(bytes({0xff, 0xff, 0xff, 0xff, 0x0f}), kMaxGreetingFrame, &f) == Parse::kMalformed);  // negative
    std::string huge;
    appendVarInt(&huge, 1 << 20);
    CPPUNIT_ASSERT(readFrame(huge, kMaxGreetingFrame, &f) == Parse::kMalformed);
    // A complete packet whose id VarInt does not end.
    CPPUNIT_ASSERT(readFrame(bytes({0x02, 0x80, 0x80}), kMaxGreetingFrame, &f) == Parse::kMalformed);
  }

  void handshakeParses() {
    Handshake h;
    CPPUNIT_ASSERT(parseHandshake(handshakeBody(767, "play.example.com", 25565, 2), &h) == Parse::kOk);
    CPPUNIT_ASSERT_EQUAL(767, h.protocol_version);
    CPPUNIT_ASSERT_EQUAL(std::string("play.example.com"), h.server_address);
    CPPUNIT_ASSERT_EQUAL(uint16_t(25565), h.server_port);
    CPPUNIT_ASSERT_EQUAL(2, h.next_state);
    CPPUNIT_ASSERT(parseHandshake(handshakeBody(47, "", 1, 1), &h) == Parse::kOk);
    CPPUNIT_ASSERT(parseHandshake(handshakeBody(766, "x", 65535, 3), &h) == Parse::kOk);
    CPPUNIT_ASSERT_EQUAL(uint16_t(65535), h.server_port);
  }

  void handshakeMalformedVariants() {
    Handshake h;
    std::string good = handshakeBody(767, "host", 25565, 1);
    for (size_t n = 0; n < good.size(); ++n)
      CPPUNIT_ASSERT_MESSAGE(std::to_string(n), parseHandshake(good.substr(0, n), &h) == Parse::kMalformed);
    CPPUNIT_ASSERT(parseHandshake(good + "x", &h) == Parse::kMalformed);          // trailing bytes
    CPPUNIT_ASSERT(parseHandshake(handshakeBody(767, "h", 1, 0), &h) == Parse::kMalformed);  // bad state
    CPPUNIT_ASSERT(parseHandshake(handshakeBody(767, "h", 1, 4), &h) == Parse::kMalformed);
    std::string long_host = handshakeBody(767, std::string(2000, 'a'), 1, 1);
    CPPUNIT_ASSERT(parseHandshake(long_host, &h) == Parse::kMalformed);
    std::string negative_len;
    appendVarInt(&negative_len, 767);
    appendVarInt(&negative_len, -5);
    CPPUNIT_ASSERT(parseHandshake(negative_len, &h) == Parse::kMalformed);
  }

  void everyPrefixOfAValidHandshakeIsNeedMore() {
    std::string wire = encodeFrame(0x00, handshakeBody(767, "localhost", 25565, 2));
    Frame f;
    for (size_t n = 0; n < wire.size(); ++n)
      CPPUNIT_ASSERT(readFrame(wire.substr(0, n), kMaxGreetingFrame, &f) == Parse::kNeedMore);
    CPPUNIT_ASSERT(readFrame(wire, kMaxGreetingFrame, &f) == Parse::kOk);
  }

  void statusAndDisconnectEncode() {
    std::string json = statusJson("Sleeping \"zzz\"", 767, "sleeping");
    CPPUNIT_ASSERT(json.find("\"protocol\":767") != std::string::npos);
    CPPUNIT_ASSERT(json.find("\"text\":\"Sleeping \\\"zzz\\\"\"") != std::string::npos);
    Frame f;
    std::string frame = statusResponseFrame(json);
    CPPUNIT_ASSERT(readFrame(frame, 1 << 20, &f) == Parse::kOk);
    CPPUNIT_ASSERT_EQUAL(0, f.id);
    int32_t len;
    size_t used;
    CPPUNIT_ASSERT(readVarInt(f.body, &len, &used) == Parse::kOk);
    CPPUNIT_ASSERT_EQUAL(json, std::string(f.body.substr(used)));
    CPPUNIT_ASSERT(pongFrame("12345678") == bytes({9, 1}) + "12345678");
    std::string kick = loginDisconnectFrame("Server is starting");
    CPPUNIT_ASSERT(readFrame(kick, 1 << 20, &f) == Parse::kOk);
    CPPUNIT_ASSERT_EQUAL(0, f.id);
    CPPUNIT_ASSERT(std::string(f.body).find("{\"text\":\"Server is starting\"}") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MinecraftCodecTest);
