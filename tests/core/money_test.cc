#include <cppunit/extensions/HelperMacros.h>

#include "core/money.h"

using gsp::money::format;
using gsp::money::parseWholeAmount;

class MoneyTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MoneyTest);
  CPPUNIT_TEST(formatsCents);
  CPPUNIT_TEST(parsesWholeAmounts);
  CPPUNIT_TEST(rejectsBadAmounts);
  CPPUNIT_TEST_SUITE_END();

 public:
  void formatsCents() {
    struct { int64_t cents; const char* text; } cases[] = {
        {0, "$0.00"}, {5, "$0.05"}, {99, "$0.99"}, {100, "$1.00"}, {123456, "$1,234.56"},
        {100000000, "$1,000,000.00"}, {-150, "-$1.50"}, {-1, "-$0.01"},
        {INT64_MIN, "-$92,233,720,368,547,758.08"},
    };
    for (const auto& c : cases) CPPUNIT_ASSERT_EQUAL(std::string(c.text), format(c.cents));
  }

  void parsesWholeAmounts() {
    struct { const char* text; int64_t cents; } cases[] = {
        {"1", 100}, {"25", 2500}, {" 40 ", 4000}, {"500", 50000}, {"007", 700},
    };
    for (const auto& c : cases) {
      auto r = parseWholeAmount(c.text, 50000);
      CPPUNIT_ASSERT_MESSAGE(c.text, r.isOk());
      CPPUNIT_ASSERT_EQUAL(c.cents, r.value());
    }
  }

  void rejectsBadAmounts() {
    const char* cases[] = {"", "   ", "0", "-5", "+5", "1.5", "1e3", "abc", "5 5", "501",
                           "99999999999999999999", "0x10", "５", "10\n"};
    for (const char* c : cases) {
      auto r = parseWholeAmount(c, 50000);
      CPPUNIT_ASSERT_MESSAGE(std::string("accepted '") + c + "'", !r.isOk());
      CPPUNIT_ASSERT(!r.status().message().empty());
    }
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(MoneyTest);
