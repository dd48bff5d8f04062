// Tests of the proxy's own HMAC-SHA256: RFC 4231 vectors (short key, long key
// hashed first, long data) and agreement with src/core/crypto's EVP version.
#include <cppunit/extensions/HelperMacros.h>

#include "core/crypto.h"
#include "hmac_sha256.h"

using gsp::proxy::hexEncode;
using gsp::proxy::hmacSha256;

class HmacSha256Test : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(HmacSha256Test);
  CPPUNIT_TEST(rfc4231Vectors);
  CPPUNIT_TEST(agreesWithCoreCryptoForEveryKeyLength);
  CPPUNIT_TEST_SUITE_END();

 public:
  void rfc4231Vectors() {
    struct Case { std::string key, data, mac; } cases[] = {
        {std::string(20, '\x0b'), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
        {"Jefe", "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
        {std::string(20, '\xaa'), std::string(50, '\xdd'),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
        {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    };
    for (const auto& c : cases) CPPUNIT_ASSERT_EQUAL(c.mac, hexEncode(hmacSha256(c.key, c.data)));
  }

  void agreesWithCoreCryptoForEveryKeyLength() {
    for (size_t n = 0; n <= 130; ++n) {
      std::string key(n, static_cast<char>('a' + n % 26)), data = "1700000000.{\"n\":" + std::to_string(n) + "}";
      CPPUNIT_ASSERT_EQUAL(gsp::crypto::toHex(gsp::crypto::hmacSha256(key, data)), hexEncode(hmacSha256(key, data)));
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(HmacSha256Test);
