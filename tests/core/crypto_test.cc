#include <cppunit/extensions/HelperMacros.h>

#include "core/crypto.h"

using namespace gsp::crypto;

class CryptoTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(CryptoTest);
  CPPUNIT_TEST(sha256MatchesKnownVector);
  CPPUNIT_TEST(hmacMatchesRfc4231);
  CPPUNIT_TEST(hexRoundTrips);
  CPPUNIT_TEST(randomBytesDiffer);
  CPPUNIT_TEST(constantTimeEqualsComparesWholeStrings);
  CPPUNIT_TEST_SUITE_END();

 public:
  void sha256MatchesKnownVector() {
    CPPUNIT_ASSERT_EQUAL(std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                         toHex(sha256("abc")));
  }
  void hmacMatchesRfc4231() {
    // RFC 4231 test case 2.
    CPPUNIT_ASSERT_EQUAL(std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                         toHex(hmacSha256("Jefe", "what do ya want for nothing?")));
  }
  void hexRoundTrips() {
    std::string bytes("\x00\xff\x10 a", 5), back;
    CPPUNIT_ASSERT(fromHex(toHex(bytes), &back));
    CPPUNIT_ASSERT(bytes == back);
    CPPUNIT_ASSERT(!fromHex("abc", &back));
    CPPUNIT_ASSERT(!fromHex("zz", &back));
  }
  void randomBytesDiffer() {
    CPPUNIT_ASSERT_EQUAL(size_t(32), randomBytes(32).size());
    CPPUNIT_ASSERT(randomBytes(32) != randomBytes(32));
  }
  void constantTimeEqualsComparesWholeStrings() {
    CPPUNIT_ASSERT(constantTimeEquals("abc", "abc"));
    CPPUNIT_ASSERT(!constantTimeEquals("abc", "abd"));
    CPPUNIT_ASSERT(!constantTimeEquals("abc", "abcd"));
    CPPUNIT_ASSERT(!constantTimeEquals("", "a"));
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(CryptoTest);
