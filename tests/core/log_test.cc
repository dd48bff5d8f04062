#include <cppunit/extensions/HelperMacros.h>

#include "core/log.h"

using gsp::log::formatLine;
using gsp::log::Level;

class LogTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LogTest);
  CPPUNIT_TEST(aLineIsLevelAndMessage);
  CPPUNIT_TEST(controlBytesCannotForgeALine);
  CPPUNIT_TEST_SUITE_END();

 public:
  void aLineIsLevelAndMessage() {
    CPPUNIT_ASSERT_EQUAL(std::string("[warn] server 7: caf\xc3\xa9 ok\n"),
                         formatLine(Level::kWarn, "server 7: caf\xc3\xa9 ok"));
  }

  // A path decoded from "/x%0A[error]%20fake" or an engine message with a
  // newline stays on its own line, its control bytes written out.
  void controlBytesCannotForgeALine() {
    CPPUNIT_ASSERT_EQUAL(std::string("[error] GET /x\\x0a[error] fake\\x0d\\x00\\x1b[31m\\x7f\n"),
                         formatLine(Level::kError, std::string("GET /x\n[error] fake\r\0\x1b[31m\x7f", 27)));
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(LogTest);
