#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "docker/docker_error.h"

using gsp::Status;
using gsp::docker::DockerError;
using gsp::docker::DockerResult;
using gsp::docker::ErrorKind;

class DockerErrorTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DockerErrorTest);
  CPPUNIT_TEST(takesTheEnginesMessage);
  CPPUNIT_TEST(quotesBodiesThatAreNotErrorJson);
  CPPUNIT_TEST(mapsToTheCoarseStatusCodes);
  CPPUNIT_TEST(resultsKeepTheDetail);
  CPPUNIT_TEST_SUITE_END();

 public:
  void takesTheEnginesMessage() {
    struct { int status; const char* body; const char* engine_message; } cases[] = {
        {404, R"({"message":"No such container: abc"})", "No such container: abc"},
        {409, "{\"message\":\"Conflict. The container name \\\"/x\\\" is already in use\"}\n",
         "Conflict. The container name \"/x\" is already in use"},
        {500, R"({"message":"driver failed: \u00e9t\u00e9","extra":[1]})", "driver failed: \xc3\xa9t\xc3\xa9"},
    };
    for (const auto& c : cases) {
      auto e = DockerError::fromEngineResponse(c.status, c.body, "inspect container abc");
      CPPUNIT_ASSERT(e.kind() == ErrorKind::kEngine);
      CPPUNIT_ASSERT_EQUAL(c.status, e.httpStatus());
      CPPUNIT_ASSERT_EQUAL(std::string(c.engine_message), e.engineMessage());
      CPPUNIT_ASSERT_EQUAL("Docker engine refused inspect container abc (HTTP " + std::to_string(c.status) +
                               "): " + c.engine_message,
                           e.message());
    }
  }

  void quotesBodiesThatAreNotErrorJson() {
    struct { const char* body; const char* engine_message; } cases[] = {
        {"", "(no message)"},
        {"page not found\n", "page not found"},
        {R"({"message": 42})", R"({"message": 42})"},
        {R"(["message"])", R"(["message"])"},
        {"{\"message\":", "{\"message\":"},
        {"bad\x01\xff", "bad??"},
    };
    for (const auto& c : cases) {
      auto e = DockerError::fromEngineResponse(502, c.body, "ping");
      CPPUNIT_ASSERT_EQUAL(std::string(c.engine_message), e.engineMessage());
    }
    const std::string long_body(5000, 'x');
    auto e = DockerError::fromEngineResponse(500, long_body, "ping");
    CPPUNIT_ASSERT(e.message().size() < 300);
    CPPUNIT_ASSERT(e.message().find("...") != std::string::npos);
  }

  void mapsToTheCoarseStatusCodes() {
    struct { DockerError error; Status::Code code; } cases[] = {
        {DockerError(ErrorKind::kUnreachable, "m"), Status::Code::kUnavailable},
        {DockerError(ErrorKind::kTimeout, "m"), Status::Code::kUnavailable},
        {DockerError(ErrorKind::kBadResponse, "m"), Status::Code::kInternal},
        {DockerError(ErrorKind::kIncompatible, "m"), Status::Code::kInternal},
        {DockerError(ErrorKind::kLocal, "m"), Status::Code::kInternal},
        {DockerError(ErrorKind::kEngine, "m", 400), Status::Code::kInvalid},
        {DockerError(ErrorKind::kEngine, "m", 403), Status::Code::kForbidden},
        {DockerError(ErrorKind::kEngine, "m", 404), Status::Code::kNotFound},
        {DockerError(ErrorKind::kEngine, "m", 409), Status::Code::kConflict},
        {DockerError(ErrorKind::kEngine, "m", 500), Status::Code::kInternal},
        {DockerError(ErrorKind::kEngine, "m", 503), Status::Code::kUnavailable},
    };
    for (const auto& c : cases) {
      CPPUNIT_ASSERT(c.error.toStatus().code() == c.code);
      CPPUNIT_ASSERT_EQUAL(std::string("m"), c.error.toStatus().message());
    }
  }

  void resultsKeepTheDetail() {
    DockerResult<int> r = DockerError::fromEngineResponse(404, R"({"message":"gone"})", "x");
    CPPUNIT_ASSERT(!r.isOk());
    CPPUNIT_ASSERT(r.error().isNotFound());
    CPPUNIT_ASSERT(r.status().code() == Status::Code::kNotFound);
    // Usable where a plain gsp::Result is expected.
    const gsp::Result<int>& plain = r;
    CPPUNIT_ASSERT(plain.status().code() == Status::Code::kNotFound);
    DockerResult<int> ok = 7;
    CPPUNIT_ASSERT(ok.isOk());
    CPPUNIT_ASSERT_EQUAL(7, ok.value());
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(DockerErrorTest);
