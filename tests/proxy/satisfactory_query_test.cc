// Tests of Satisfactory's lightweight query: the poll gamedig sends, every
// malformed poll refused, and the state answer byte by byte.
#include <cppunit/extensions/HelperMacros.h>

#include "byte_string.h"
#include "satisfactory_query.h"

using namespace gsp::proxy;

namespace {

bool parse(const std::string& s, uint64_t* cookie) { return parseSatisfactoryPoll(s.data(), s.size(), cookie); }

// What npm gamedig 5.3.3 sends (protocols/satisfactory.js): cookie 05 x 8.
const std::string kGamedigPoll = bytes({0xd5, 0xf6, 0x00, 0x01, 5, 5, 5, 5, 5, 5, 5, 5, 0x01});

}  // namespace

class SatisfactoryQueryTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SatisfactoryQueryTest);
  CPPUNIT_TEST(gamedigPollParses);
  CPPUNIT_TEST(cookieIsLittleEndian);
  CPPUNIT_TEST(malformedPollsRefused);
  CPPUNIT_TEST(stateAnswerLayout);
  CPPUNIT_TEST(answerEchoesThePollsCookie);
  CPPUNIT_TEST(longNamesCutAtUtf8Boundary);
  CPPUNIT_TEST_SUITE_END();

 public:
  void gamedigPollParses() {
    CPPUNIT_ASSERT_EQUAL(kSatisfactoryPollSize, kGamedigPoll.size());
    uint64_t cookie = 0;
    CPPUNIT_ASSERT(parse(kGamedigPoll, &cookie));
    CPPUNIT_ASSERT_EQUAL(uint64_t(0x0505050505050505), cookie);
  }

  void cookieIsLittleEndian() {
    uint64_t cookie = 0;
    CPPUNIT_ASSERT(parse(bytes({0xd5, 0xf6, 0, 1, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88, 1}), &cookie));
    CPPUNIT_ASSERT_EQUAL(uint64_t(0x8807060504030201), cookie);
  }

  void malformedPollsRefused() {
    auto with = [](size_t at, int value) {
      std::string s = kGamedigPoll;
      s[at] = static_cast<char>(value);
      return s;
    };
    std::string cases[] = {
        with(0, 0xf6),                    // magic big-endian
        with(1, 0xd5),
        with(2, 0x01),                    // a Server State Response, not a poll
        with(2, 0x02),
        with(3, 0x00),                    // protocol version
        with(3, 0x02),
        with(12, 0x00),                   // terminator
        with(12, 0x02),
        kGamedigPoll + bytes({0x01}),     // trailing bytes
        kGamedigPoll + kGamedigPoll,
        std::string(1400, '\x01'),
    };
    uint64_t cookie = 42;
    for (const auto& wire : cases) CPPUNIT_ASSERT(!parse(wire, &cookie));
    for (size_t n = 0; n < kGamedigPoll.size(); ++n)
      CPPUNIT_ASSERT_MESSAGE(std::to_string(n), !parse(kGamedigPoll.substr(0, n), &cookie));
    CPPUNIT_ASSERT_EQUAL(uint64_t(42), cookie);  // untouched by refusals
  }

  void stateAnswerLayout() {
    std::string expected = bytes({0xd5, 0xf6,                                      // ProtocolMagic 0xF6D5
                                  0x01,                                            // Server State Response
                                  0x01,                                            // ProtocolVersion
                                  0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88,  // Cookie
                                  0x03,                                            // Playing
                                  0xfa, 0x92, 0x05, 0x00,                          // ServerNetCL 365306
                                  0, 0, 0, 0, 0, 0, 0, 0,                          // ServerFlags
                                  0x00,                                            // NumSubStates
                                  0x09, 0x00}) +                                   // ServerNameLength
                           "Demo Game" + bytes({0x01});                            // ServerName, terminator
    CPPUNIT_ASSERT(encodeSatisfactoryState(0x8807060504030201, SatisfactoryState::kPlaying, 365306, "Demo Game") ==
                   expected);
    // The state byte for each state.
    struct Case { SatisfactoryState state; int byte; } cases[] = {
        {SatisfactoryState::kOffline, 0}, {SatisfactoryState::kIdle, 1}, {SatisfactoryState::kLoading, 2},
        {SatisfactoryState::kPlaying, 3}};
    for (const auto& c : cases)
      CPPUNIT_ASSERT_EQUAL(c.byte, static_cast<int>(encodeSatisfactoryState(0, c.state, 0, "")[12]));
    CPPUNIT_ASSERT_EQUAL(size_t(29), encodeSatisfactoryState(0, SatisfactoryState::kIdle, 0, "").size());
  }

  void answerEchoesThePollsCookie() {
    uint64_t cookie = 0;
    CPPUNIT_ASSERT(parse(kGamedigPoll, &cookie));
    std::string answer = encodeSatisfactoryState(cookie, SatisfactoryState::kPlaying, 1, "x");
    CPPUNIT_ASSERT(answer.substr(4, 8) == kGamedigPoll.substr(4, 8));
    // gamedig ignores an answer whose first four bytes are D5 F6 01 02.
    CPPUNIT_ASSERT(answer.substr(0, 4) == bytes({0xd5, 0xf6, 0x01, 0x01}));
  }

  void longNamesCutAtUtf8Boundary() {
    auto nameOf = [](const std::string& answer) {
      size_t length = static_cast<uint8_t>(answer[26]) | (static_cast<uint8_t>(answer[27]) << 8);
      CPPUNIT_ASSERT_EQUAL(answer.size(), 28 + length + 1);
      CPPUNIT_ASSERT_EQUAL('\x01', answer.back());
      return answer.substr(28, length);
    };
    std::string euros;
    for (int i = 0; i < 400; ++i) euros += "\xe2\x82\xac";  // 1200 bytes of three-byte characters
    // 341 whole euro signs are 1023 bytes; the 342nd would end at byte 1026.
    CPPUNIT_ASSERT_EQUAL(euros.substr(0, 1023), nameOf(encodeSatisfactoryState(0, SatisfactoryState::kIdle, 0, euros)));
    std::string ascii(kSatisfactoryMaxName, 'a');
    CPPUNIT_ASSERT_EQUAL(ascii, nameOf(encodeSatisfactoryState(0, SatisfactoryState::kIdle, 0, ascii + "b")));
    CPPUNIT_ASSERT_EQUAL(ascii, nameOf(encodeSatisfactoryState(0, SatisfactoryState::kIdle, 0, ascii)));
    CPPUNIT_ASSERT_EQUAL(std::string("Fabrik \xc3\xa9"),
                         nameOf(encodeSatisfactoryState(0, SatisfactoryState::kIdle, 0, "Fabrik \xc3\xa9")));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SatisfactoryQueryTest);
