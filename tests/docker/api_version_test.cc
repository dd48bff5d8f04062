#include <cppunit/extensions/HelperMacros.h>

#include <optional>
#include <string>

#include "docker/api_version.h"

using gsp::docker::ApiVersion;
using gsp::docker::EngineApiRange;
using gsp::docker::ErrorKind;
using gsp::docker::negotiateApiVersion;

class ApiVersionTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ApiVersionTest);
  CPPUNIT_TEST(parsesAndCompares);
  CPPUNIT_TEST(picksTheHighestCommonVersion);
  CPPUNIT_TEST(refusesEnginesOutsideTheClientsRange);
  CPPUNIT_TEST_SUITE_END();

 public:
  void parsesAndCompares() {
    CPPUNIT_ASSERT(*ApiVersion::parse("1.41") == (ApiVersion{1, 41}));
    CPPUNIT_ASSERT(*ApiVersion::parse("1.9") == (ApiVersion{1, 9}));
    CPPUNIT_ASSERT_EQUAL(std::string("1.44"), ApiVersion::parse("1.44")->toString());
    for (const char* bad : {"", "1", "1.", ".41", "v1.41", "1.41.0", "1.x", "a.b", "1.41 ", "99999.1"}) {
      CPPUNIT_ASSERT_MESSAGE(bad, !ApiVersion::parse(bad).has_value());
    }
    // Numeric, not textual: 1.9 < 1.41 < 1.100 < 2.0.
    CPPUNIT_ASSERT((ApiVersion{1, 9}) < (ApiVersion{1, 41}));
    CPPUNIT_ASSERT((ApiVersion{1, 41}) < (ApiVersion{1, 100}));
    CPPUNIT_ASSERT((ApiVersion{1, 100}) < (ApiVersion{2, 0}));
    CPPUNIT_ASSERT((ApiVersion{1, 41}) <= (ApiVersion{1, 41}));
  }

  void picksTheHighestCommonVersion() {
    const ApiVersion kMin{1, 41}, kMax{1, 47};
    struct { const char* engine_max; const char* engine_min; const char* want; } cases[] = {
        {"1.41", "1.12", "1.41"},  // docker.io 20.10, the engine on these machines
        {"1.52", "1.44", "1.47"},  // engine 29.x: refuses below 1.44, speaks above our max
        {"1.44", "1.24", "1.44"},  // engine 25
        {"1.47", "1.24", "1.47"},
        {"1.43", "", "1.43"},      // no MinAPIVersion at all
    };
    for (const auto& c : cases) {
      EngineApiRange engine{*ApiVersion::parse(c.engine_max), ApiVersion::parse(c.engine_min)};
      auto v = negotiateApiVersion(engine, kMin, kMax);
      CPPUNIT_ASSERT_MESSAGE(c.engine_max, v.isOk());
      CPPUNIT_ASSERT_EQUAL(std::string(c.want), v->toString());
    }
  }

  void refusesEnginesOutsideTheClientsRange() {
    const ApiVersion kMin{1, 41}, kMax{1, 47};
    auto too_old = negotiateApiVersion({{1, 40}, ApiVersion{1, 12}}, kMin, kMax);
    CPPUNIT_ASSERT(!too_old.isOk());
    CPPUNIT_ASSERT(too_old.error().kind() == ErrorKind::kIncompatible);
    CPPUNIT_ASSERT_MESSAGE(too_old.status().message(),
                           too_old.status().message().find("too old") != std::string::npos);
    CPPUNIT_ASSERT(too_old.status().message().find("1.40") != std::string::npos);
    CPPUNIT_ASSERT(too_old.status().message().find("1.41 to 1.47") != std::string::npos);

    auto too_new = negotiateApiVersion({{1, 60}, ApiVersion{1, 50}}, kMin, kMax);
    CPPUNIT_ASSERT(!too_new.isOk());
    CPPUNIT_ASSERT_MESSAGE(too_new.status().message(),
                           too_new.status().message().find("too new") != std::string::npos);
    CPPUNIT_ASSERT(too_new.status().message().find("1.50 to 1.60") != std::string::npos);
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ApiVersionTest);
