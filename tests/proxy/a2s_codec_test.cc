// Tests of the A2S codec: the requests a client sends (and every malformed
// one refused), the exact bytes of each answer, the field cuts, SipHash's
// reference vectors and the stateless challenge.
#include <cppunit/extensions/HelperMacros.h>

#include "a2s_codec.h"
#include "byte_string.h"

using namespace gsp::proxy;

namespace {

const std::string kHeader = bytes({0xff, 0xff, 0xff, 0xff});
const std::string kInfo = kHeader + "T" + std::string("Source Engine Query\0", 20);

A2sRequest parse(const std::string& s) { return parseA2sRequest(s.data(), s.size()); }

SipHashKey sequentialKey() {
  SipHashKey k;
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(i);
  return k;
}

// The NUL-terminated fields of an INFO answer, read as gamedig reads them.
struct InfoFields {
  std::string name, map, folder, game, version;
  size_t after_version = 0;
};
InfoFields readInfoStrings(const std::string& answer) {
  InfoFields f;
  size_t at = 6;  // header, 'I', protocol
  auto next = [&](std::string* out) {
    size_t end = answer.find('\0', at);
    *out = answer.substr(at, end - at);
    at = end + 1;
  };
  next(&f.name);
  next(&f.map);
  next(&f.folder);
  next(&f.game);
  at += 2 + 7;  // app id, players .. VAC
  next(&f.version);
  f.after_version = at;
  return f;
}

}  // namespace

class A2sCodecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(A2sCodecTest);
  CPPUNIT_TEST(infoRequestsWithAndWithoutChallenge);
  CPPUNIT_TEST(playerAndRulesRequests);
  CPPUNIT_TEST(malformedRequestsAreNotA2s);
  CPPUNIT_TEST(everyPrefixOfARequestIsRefusedOrItself);
  CPPUNIT_TEST(challengeAndEmptyAnswersExactBytes);
  CPPUNIT_TEST(infoAnswerExactBytes);
  CPPUNIT_TEST(infoAnswerPasswordAndLargeValues);
  CPPUNIT_TEST(infoFieldsCutLikeSteamAtUtf8Boundaries);
  CPPUNIT_TEST(utf8PrefixTable);
  CPPUNIT_TEST(sipHashReferenceVectors);
  CPPUNIT_TEST(challengesAreStatelessPerClientAndExpire);
  CPPUNIT_TEST_SUITE_END();

 public:
  void infoRequestsWithAndWithoutChallenge() {
    // The wiki's example request, byte for byte.
    std::string wire = bytes({0xff, 0xff, 0xff, 0xff, 0x54, 0x53, 0x6f, 0x75, 0x72, 0x63, 0x65, 0x20, 0x45, 0x6e,
                              0x67, 0x69, 0x6e, 0x65, 0x20, 0x51, 0x75, 0x65, 0x72, 0x79, 0x00});
    CPPUNIT_ASSERT(wire == kInfo);
    A2sRequest r = parse(wire);
    CPPUNIT_ASSERT(r.kind == A2sKind::kInfo);
    CPPUNIT_ASSERT(!r.has_challenge);
    // The repeat with the challenge from S2C_CHALLENGE appended, little-endian.
    r = parse(wire + bytes({0x0a, 0x08, 0x5e, 0xea}));
    CPPUNIT_ASSERT(r.kind == A2sKind::kInfo);
    CPPUNIT_ASSERT(r.has_challenge);
    CPPUNIT_ASSERT_EQUAL(uint32_t(0xea5e080a), r.challenge);
    r = parse(wire + bytes({0xff, 0xff, 0xff, 0xff}));
    CPPUNIT_ASSERT(r.kind == A2sKind::kInfo);
    CPPUNIT_ASSERT(!r.has_challenge);
  }

  void playerAndRulesRequests() {
    struct Case { std::string wire; A2sKind kind; bool has_challenge; uint32_t challenge; } cases[] = {
        {kHeader + bytes({0x55, 0xff, 0xff, 0xff, 0xff}), A2sKind::kPlayer, false, 0xffffffff},
        {kHeader + bytes({0x55, 0x4b, 0xa1, 0xd5, 0x22}), A2sKind::kPlayer, true, 0x22d5a14b},
        {kHeader + bytes({0x56, 0xff, 0xff, 0xff, 0xff}), A2sKind::kRules, false, 0xffffffff},
        {kHeader + bytes({0x56, 0x01, 0x02, 0x03, 0x04}), A2sKind::kRules, true, 0x04030201},
        {kHeader + bytes({0x56, 0x00, 0x00, 0x00, 0x00}), A2sKind::kRules, true, 0},  // for the caller to refuse
    };
    for (const auto& c : cases) {
      A2sRequest r = parse(c.wire);
      CPPUNIT_ASSERT(r.kind == c.kind);
      CPPUNIT_ASSERT_EQUAL(c.has_challenge, r.has_challenge);
      CPPUNIT_ASSERT_EQUAL(c.challenge, r.challenge);
    }
  }

  void malformedRequestsAreNotA2s() {
    const std::string challenge = bytes({1, 2, 3, 4});
    const std::string cases[] = {
        "",
        kHeader,
        bytes({0xfe, 0xff, 0xff, 0xff}) + kInfo.substr(4),                 // split-packet header
        bytes({0xff, 0xff, 0xff, 0xfe}) + kInfo.substr(4),
        bytes({0x00, 0x00, 0x00, 0x00}) + kInfo.substr(4),
        kHeader + "W" + challenge,                                          // legacy GETCHALLENGE
        kHeader + "I" + challenge,                                          // an answer, not a request
        kHeader + "A" + challenge,
        kHeader + "TSource Engine Query",                                   // no NUL
        kHeader + std::string("Tsource engine query\0", 21),                // wrong case
        kHeader + std::string("TSource Engine Quer\0\0", 21),
        kInfo + bytes({1}),                                                 // partial challenge
        kInfo + bytes({1, 2, 3}),
        kInfo + challenge + "x",                                            // junk after the challenge
        kInfo + challenge + challenge,
        kInfo + std::string(1400 - kInfo.size(), '\0'),                     // zero padding
        kHeader + "U",
        kHeader + "U" + bytes({1, 2, 3}),
        kHeader + "U" + challenge + bytes({0}),
        kHeader + "V" + bytes({0xff, 0xff}),
        kHeader + "V" + challenge + "junk",
        kInfo + challenge + std::string(1401 - kInfo.size() - 4, 'x'),      // oversize
        std::string(1401, '\xff'),
        std::string(65507, '\xff'),
    };
    for (const auto& wire : cases) {
      CPPUNIT_ASSERT_MESSAGE(std::to_string(wire.size()) + " bytes", parse(wire).kind == A2sKind::kNotA2s);
      CPPUNIT_ASSERT(!parse(wire).has_challenge);
    }
  }

  void everyPrefixOfARequestIsRefusedOrItself() {
    const std::string requests[] = {kInfo + bytes({9, 8, 7, 6}), kHeader + bytes({0x55, 1, 2, 3, 4}),
                                    kHeader + bytes({0x56, 1, 2, 3, 4})};
    for (const auto& wire : requests) {
      CPPUNIT_ASSERT(parse(wire).kind != A2sKind::kNotA2s);
      for (size_t n = 0; n < wire.size(); ++n) {
        A2sRequest r = parse(wire.substr(0, n));
        // The only shorter valid request is the INFO without its challenge.
        bool bare_info = wire.substr(0, n) == kInfo;
        CPPUNIT_ASSERT_MESSAGE(std::to_string(n), r.kind == (bare_info ? A2sKind::kInfo : A2sKind::kNotA2s));
      }
    }
  }

  void challengeAndEmptyAnswersExactBytes() {
    CPPUNIT_ASSERT(encodeA2sChallenge(0x11223344) == bytes({0xff, 0xff, 0xff, 0xff, 0x41, 0x44, 0x33, 0x22, 0x11}));
    CPPUNIT_ASSERT(encodeA2sPlayersEmpty() == bytes({0xff, 0xff, 0xff, 0xff, 0x44, 0x00}));
    CPPUNIT_ASSERT(encodeA2sRulesEmpty() == bytes({0xff, 0xff, 0xff, 0xff, 0x45, 0x00, 0x00}));
    // A challenge answer is never larger than the request it answers (no amplification).
    CPPUNIT_ASSERT(encodeA2sChallenge(1).size() <= kInfo.size());
    CPPUNIT_ASSERT(encodeA2sChallenge(1).size() <= (kHeader + "U" + "1234").size());
  }

  void infoAnswerExactBytes() {
    A2sInfo info;
    info.name = "Demo Game";
    info.map = "demo";
    info.folder = "demo";
    info.game = "Demo Game";
    info.version = "1.0";
    info.app_id = 892970;  // 0x000DA02A
    info.max_players = 10;
    info.game_port = 2456;  // 0x0998
    std::string expected = bytes({0xff, 0xff, 0xff, 0xff, 0x49, 17}) +
                           std::string("Demo Game\0demo\0demo\0Demo Game\0", 30) +
                           bytes({0x2a, 0xa0,                           // app id, low 16 bits
                                  0, 10, 0,                             // players, max, bots
                                  'd', 'l', 0, 0}) +                    // dedicated, Linux, public, no VAC
                           std::string("1.0\0", 4) +
                           bytes({0x81,                                 // EDF: port, game id
                                  0x98, 0x09,                           // 2456
                                  0x2a, 0xa0, 0x0d, 0, 0, 0, 0, 0});   // game id 892970
    CPPUNIT_ASSERT(encodeA2sInfo(info) == expected);
  }

  void infoAnswerPasswordAndLargeValues() {
    A2sInfo info;
    info.name = "n";
    info.app_id = 0xffffffff;  // more than 24 bits: the game id keeps only the app id's 24
    info.players = 255;
    info.max_players = 254;
    info.bots = 3;
    info.password = true;
    info.game_port = 65535;
    std::string wire = encodeA2sInfo(info);
    InfoFields f = readInfoStrings(wire);
    CPPUNIT_ASSERT_EQUAL(std::string("n"), f.name);
    CPPUNIT_ASSERT_EQUAL(std::string(""), f.map);
    CPPUNIT_ASSERT_EQUAL(std::string(""), f.version);
    size_t fixed = f.after_version - 1 - 9;  // start of app id
    CPPUNIT_ASSERT(wire.substr(fixed, 9) == bytes({0xff, 0xff, 255, 254, 3, 'd', 'l', 1, 0}));
    CPPUNIT_ASSERT(wire.substr(f.after_version) ==
                   bytes({0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0}));
    // An unknown game port is left out (flag 0x80 clear), not sent as 0.
    info.game_port = 0;
    info.app_id = 892970;
    wire = encodeA2sInfo(info);
    CPPUNIT_ASSERT(wire.substr(readInfoStrings(wire).after_version) == bytes({0x01, 0x2a, 0xa0, 0x0d, 0, 0, 0, 0, 0}));
  }

  void infoFieldsCutLikeSteamAtUtf8Boundaries() {
    A2sInfo info;
    info.name = std::string(70, 'n');
    info.map = std::string(40, 'm');
    info.folder = "\xc3\xa9" + std::string(40, 'f');
    info.game = std::string(62, 'g') + "\xe2\x82\xac";  // the euro sign would end at byte 65
    info.version = std::string("1.0\0hidden", 10);  // a NUL would end the field early: cut there
    InfoFields f = readInfoStrings(encodeA2sInfo(info));
    CPPUNIT_ASSERT_EQUAL(std::string(63, 'n'), f.name);
    CPPUNIT_ASSERT_EQUAL(std::string(31, 'm'), f.map);
    CPPUNIT_ASSERT_EQUAL("\xc3\xa9" + std::string(29, 'f'), f.folder);
    CPPUNIT_ASSERT_EQUAL(std::string(62, 'g'), f.game);
    CPPUNIT_ASSERT_EQUAL(std::string("1.0"), f.version);

    // Two-byte characters across the name's 63-byte limit: 31 whole ones (62 bytes).
    std::string e_acute;
    for (int i = 0; i < 100; ++i) e_acute += "\xc3\xa9";
    info.name = e_acute;
    CPPUNIT_ASSERT_EQUAL(e_acute.substr(0, 62), readInfoStrings(encodeA2sInfo(info)).name);

    // The largest answer possible stays within one datagram.
    std::string huge(100000, 'x');
    info = A2sInfo{huge, huge, huge, huge, huge, 892970, 255, 255, 255, true, 65535};
    CPPUNIT_ASSERT_EQUAL(size_t(282), encodeA2sInfo(info).size());
    CPPUNIT_ASSERT(encodeA2sInfo(info).size() <= kA2sMaxDatagram);
  }

  void utf8PrefixTable() {
    struct Case { std::string in; size_t max; std::string out; } cases[] = {
        {"", 0, ""},
        {"abc", 5, "abc"},
        {"abc", 3, "abc"},
        {"abc", 2, "ab"},
        {"abc", 0, ""},
        {"a\xc3\xa9", 2, "a"},                       // é cut in half
        {"a\xc3\xa9", 3, "a\xc3\xa9"},
        {"\xe2\x82\xac\xe2\x82\xac", 5, "\xe2\x82\xac"},  // €€
        {"\xf0\x9f\x8e\xae!", 3, ""},                // 🎮 whole or not at all
        {"\xf0\x9f\x8e\xae!", 4, "\xf0\x9f\x8e\xae"},
    };
    for (const auto& c : cases)
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.in + " " + std::to_string(c.max), c.out, std::string(utf8Prefix(c.in, c.max)));
  }

  void sipHashReferenceVectors() {
    // Key 00..0f, message 00 01 02 ... of each length (the reference implementation's vectors.h).
    std::string message;
    for (int i = 0; i < 15; ++i) message.push_back(static_cast<char>(i));
    struct Case { size_t length; uint64_t hash; } cases[] = {
        {0, 0x726fdb47dd0e0e31ULL}, {1, 0x74f839c593dc67fdULL}, {8, 0x93f5f5799a932462ULL},
        {15, 0xa129ca6149be45e5ULL},  // the paper's example
    };
    for (const auto& c : cases) {
      uint64_t hash = sipHash24(sequentialKey(), message.substr(0, c.length));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(std::to_string(c.length), c.hash, hash);
    }
  }

  void challengesAreStatelessPerClientAndExpire() {
    SipHashKey secret = sequentialKey();
    SipHashKey other = secret;
    other[0] ^= 1;
    const std::string client = "127.0.0.1:27005", neighbour = "127.0.0.1:27006";
    uint32_t c = a2sChallenge(secret, client, 1000);
    CPPUNIT_ASSERT_EQUAL(c, a2sChallenge(secret, client, 1000));  // no state: the same again
    CPPUNIT_ASSERT(c != 0 && c != kA2sNoChallenge);
    CPPUNIT_ASSERT(c != a2sChallenge(secret, neighbour, 1000));
    CPPUNIT_ASSERT(c != a2sChallenge(other, client, 1000));
    CPPUNIT_ASSERT(c != a2sChallenge(secret, client, 1001));
    CPPUNIT_ASSERT(a2sChallengeValid(secret, client, 1000, c));
    CPPUNIT_ASSERT(a2sChallengeValid(secret, client, 1001, c));   // the bucket after still takes it
    CPPUNIT_ASSERT(!a2sChallengeValid(secret, client, 1002, c));  // then it has expired
    CPPUNIT_ASSERT(!a2sChallengeValid(secret, client, 999, c));
    CPPUNIT_ASSERT(!a2sChallengeValid(secret, neighbour, 1000, c));
    CPPUNIT_ASSERT(!a2sChallengeValid(other, client, 1000, c));
    CPPUNIT_ASSERT(!a2sChallengeValid(secret, client, 1000, kA2sNoChallenge));
    CPPUNIT_ASSERT(a2sChallengeValid(secret, client, 0, a2sChallenge(secret, client, 0)));  // no bucket -1
    CPPUNIT_ASSERT(!a2sChallengeValid(secret, client, 0, a2sChallenge(secret, client, ~uint64_t(0))));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(A2sCodecTest);
