#include <cppunit/extensions/HelperMacros.h>

#include "core/subnet_pool.h"

using gsp::Ipv4Block;
using gsp::parseIpv4Block;
using gsp::SubnetPool;

class SubnetPoolTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SubnetPoolTest);
  CPPUNIT_TEST(parsesBlocks);
  CPPUNIT_TEST(rejectsWhatIsNotABlock);
  CPPUNIT_TEST(cutsThePoolInOrder);
  CPPUNIT_TEST(findsOverlaps);
  CPPUNIT_TEST_SUITE_END();

 public:
  void parsesBlocks() {
    const char* cases[] = {"10.201.0.0/16", "172.17.0.0/16", "192.168.16.0/20", "10.0.0.0/8", "0.0.0.0/0",
                           "10.201.0.16/28", "255.255.255.255/32"};
    for (const char* c : cases) {
      std::optional<Ipv4Block> b = parseIpv4Block(c);
      CPPUNIT_ASSERT_MESSAGE(c, b.has_value());
      CPPUNIT_ASSERT_EQUAL(std::string(c), b->str());
    }
    CPPUNIT_ASSERT_EQUAL(uint64_t(65536), parseIpv4Block("10.201.0.0/16")->size());
  }

  void rejectsWhatIsNotABlock() {
    const char* cases[] = {"", "10.201.0.0", "10.201.0.0/", "/16", "10.201.0.1/16", "10.201.0.0/33",
                           "10.201.0.0/-1", "10.201.0.0/1 6", "10.201/16", "10.201.0.0.0/16", "256.0.0.0/8",
                           "10.201.0.0/016x", "fd00::/64", "10.201.0.0/16 ", " 10.201.0.0/16", "10.201.0.0/100"};
    for (const char* c : cases) CPPUNIT_ASSERT_MESSAGE(c, !parseIpv4Block(c).has_value());
  }

  void cutsThePoolInOrder() {
    SubnetPool pool(*parseIpv4Block("10.201.0.0/16"), 28);
    CPPUNIT_ASSERT_EQUAL(uint32_t(4096), pool.count());
    CPPUNIT_ASSERT_EQUAL(std::string("10.201.0.0/28"), pool.at(0).str());
    CPPUNIT_ASSERT_EQUAL(std::string("10.201.0.16/28"), pool.at(1).str());
    CPPUNIT_ASSERT_EQUAL(std::string("10.201.1.0/28"), pool.at(16).str());
    CPPUNIT_ASSERT_EQUAL(std::string("10.201.255.240/28"), pool.at(4095).str());
    SubnetPool whole(*parseIpv4Block("10.201.0.0/29"), 29);
    CPPUNIT_ASSERT_EQUAL(uint32_t(1), whole.count());
    CPPUNIT_ASSERT_EQUAL(uint32_t(2097152), SubnetPool(*parseIpv4Block("10.0.0.0/8"), 29).count());
  }

  void findsOverlaps() {
    auto b = [](const char* text) { return *parseIpv4Block(text); };
    CPPUNIT_ASSERT(b("10.201.0.0/28").overlaps(b("10.201.0.0/28")));
    CPPUNIT_ASSERT(b("10.201.0.16/28").overlaps(b("10.201.0.0/16")));
    CPPUNIT_ASSERT(b("10.0.0.0/8").overlaps(b("10.201.0.16/28")));
    CPPUNIT_ASSERT(b("0.0.0.0/0").overlaps(b("192.168.1.0/24")));
    CPPUNIT_ASSERT(!b("10.201.0.0/28").overlaps(b("10.201.0.16/28")));
    CPPUNIT_ASSERT(!b("10.201.0.0/16").overlaps(b("172.17.0.0/16")));
    CPPUNIT_ASSERT(!b("10.201.255.240/28").overlaps(b("10.202.0.0/16")));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(SubnetPoolTest);
