#include <cppunit/extensions/HelperMacros.h>

#include <stdexcept>

#include "web/router.h"

using gsp::web::RouteMatch;
using gsp::web::Router;

class RouterTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RouterTest);
  CPPUNIT_TEST(matchesLiteralAndParameterRoutes);
  CPPUNIT_TEST(reportsMethodNotAllowedWithAllow);
  CPPUNIT_TEST(rejectsNearMisses);
  CPPUNIT_TEST(headUsesGetRoute);
  CPPUNIT_TEST(rejectsBadPatterns);
  CPPUNIT_TEST_SUITE_END();

  Router router_;

 public:
  void setUp() override {
    router_ = Router();
    router_.add("GET", "/", 0);
    router_.add("GET", "/dashboard", 1);
    router_.add("GET", "/servers/{id:int}", 2);
    router_.add("POST", "/servers/{id:int}/wake", 3);
    router_.add("GET", "/auth/mock/{provider}", 4);
    router_.add("POST", "/dashboard", 5);
  }

  void matchesLiteralAndParameterRoutes() {
    struct { const char* method; const char* path; int id; const char* key; const char* value; } cases[] = {
        {"GET", "/", 0, nullptr, nullptr},
        {"GET", "/dashboard", 1, nullptr, nullptr},
        {"POST", "/dashboard", 5, nullptr, nullptr},
        {"GET", "/servers/42", 2, "id", "42"},
        {"POST", "/servers/7/wake", 3, "id", "7"},
        {"GET", "/auth/mock/google", 4, "provider", "google"},
        {"GET", "/auth/mock/<script>", 4, "provider", "<script>"},
    };
    for (const auto& c : cases) {
      RouteMatch m = router_.match(c.method, c.path);
      CPPUNIT_ASSERT_MESSAGE(c.path, m.kind == RouteMatch::Kind::kFound);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.path, c.id, m.id);
      if (c.key) CPPUNIT_ASSERT_EQUAL(std::string(c.value), m.params[c.key]);
    }
  }

  void reportsMethodNotAllowedWithAllow() {
    RouteMatch m = router_.match("DELETE", "/dashboard");
    CPPUNIT_ASSERT(m.kind == RouteMatch::Kind::kMethodNotAllowed);
    CPPUNIT_ASSERT_EQUAL(std::string("GET, POST"), m.allow);
    m = router_.match("GET", "/servers/3/wake");
    CPPUNIT_ASSERT(m.kind == RouteMatch::Kind::kMethodNotAllowed);
    CPPUNIT_ASSERT_EQUAL(std::string("POST"), m.allow);
  }

  void rejectsNearMisses() {
    const char* paths[] = {"/dashboard/", "/dashboardx", "//dashboard", "/servers/abc", "/servers/",
                           "/servers/-1", "/servers/1.5", "/servers/1234567890123456789",
                           "/servers/42/", "/auth/mock/", "/auth/mock/a/b", "", "/DASHBOARD"};
    for (const char* p : paths) {
      CPPUNIT_ASSERT_MESSAGE(p, router_.match("GET", p).kind == RouteMatch::Kind::kNotFound);
    }
  }

  void headUsesGetRoute() {
    RouteMatch m = router_.match("HEAD", "/dashboard");
    CPPUNIT_ASSERT(m.kind == RouteMatch::Kind::kFound);
    CPPUNIT_ASSERT_EQUAL(1, m.id);
  }

  void rejectsBadPatterns() {
    Router r;
    CPPUNIT_ASSERT_THROW(r.add("GET", "nope", 0), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(r.add("GET", "/a/{id", 0), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(r.add("GET", "/a/{id:float}", 0), std::invalid_argument);
    CPPUNIT_ASSERT_THROW(r.add("GET", "/a//b", 0), std::invalid_argument);
    r.add("GET", "/a", 0);
    CPPUNIT_ASSERT_THROW(r.add("GET", "/a", 1), std::invalid_argument);
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(RouterTest);
