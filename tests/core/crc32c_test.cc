#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "core/crc32c.h"

// RFC 3720, B.4 (iSCSI's CRC32C examples), and GCS's documented encoding.
class Crc32cTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(Crc32cTest);
  CPPUNIT_TEST(rfc3720Vectors);
  CPPUNIT_TEST(piecesGiveTheSameCrcAsTheWhole);
  CPPUNIT_TEST(base64IsBigEndian);
  CPPUNIT_TEST_SUITE_END();

 public:
  void rfc3720Vectors() {
    std::string zeros(32, '\0'), ones(32, '\xff'), up(32, 0), down(32, 0);
    for (int i = 0; i < 32; ++i) {
      up[i] = static_cast<char>(i);
      down[i] = static_cast<char>(31 - i);
    }
    CPPUNIT_ASSERT_EQUAL(0x8A9136AAu, gsp::crc32c(0, zeros.data(), zeros.size()));
    CPPUNIT_ASSERT_EQUAL(0x62A8AB43u, gsp::crc32c(0, ones.data(), ones.size()));
    CPPUNIT_ASSERT_EQUAL(0x46DD794Eu, gsp::crc32c(0, up.data(), up.size()));
    CPPUNIT_ASSERT_EQUAL(0x113FDB5Cu, gsp::crc32c(0, down.data(), down.size()));
    // The iSCSI SCSI Read (10) command PDU of B.4.
    const unsigned char pdu[48] = {0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0, 0, 0, 0, 0, 0x04, 0,
                                   0, 0, 0, 0x14, 0, 0, 0, 0x18, 0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0};
    CPPUNIT_ASSERT_EQUAL(0xD9963A56u, gsp::crc32c(0, pdu, sizeof pdu));
    CPPUNIT_ASSERT_EQUAL(0xE3069283u, gsp::crc32c(0, "123456789", 9));  // the usual check value
    CPPUNIT_ASSERT_EQUAL(0u, gsp::crc32c(0, "", 0));
  }

  void piecesGiveTheSameCrcAsTheWhole() {
    std::string data;
    for (int i = 0; i < 100000; ++i) data.push_back(static_cast<char>(i * 7 + (i >> 5)));
    uint32_t whole = gsp::crc32c(0, data.data(), data.size());
    for (size_t cut : {1u, 7u, 8u, 9u, 4096u, 65537u}) {
      uint32_t c = gsp::crc32c(0, data.data(), cut);
      c = gsp::crc32c(c, data.data() + cut, data.size() - cut);
      CPPUNIT_ASSERT_EQUAL(whole, c);
    }
  }

  void base64IsBigEndian() {
    // GCS's example: the CRC32C of "hello world" is c99465aa, shown as "yZRlqg==".
    CPPUNIT_ASSERT_EQUAL(0xC99465AAu, gsp::crc32c(0, "hello world", 11));
    CPPUNIT_ASSERT_EQUAL(std::string("yZRlqg=="), gsp::crc32cBase64(0xC99465AAu));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(Crc32cTest);
