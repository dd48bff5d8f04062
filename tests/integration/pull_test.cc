// Game images the engine does not have are pulled from their registry when a
// server is created (a real registry, tests/registry/registry.sh). A failed
// pull (an image the registry does not know, a registry that is down) leaves a
// clear message and nothing behind: no server, no Docker object, no port.
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <thread>

#include "db/catalog_repository.h"
#include "db/database.h"
#include "db/job_repository.h"
#include "db/server_repository.h"
#include "docker/docker_client.h"
#include "net_client.h"
#include "orchestration/docker_orchestrator.h"
#include "platform_test.h"
#include "test_env.h"

using namespace std::chrono_literals;
using gsp::domain::JobState;

class PullTest : public gsp::test::PlatformTest {
  CPPUNIT_TEST_SUITE(PullTest);
  CPPUNIT_TEST(aMissingImageIsPulledThenTheServerIsMade);
  CPPUNIT_TEST(aFailedPullLeavesNothingBehind);
  CPPUNIT_TEST_SUITE_END();

 public:
  std::string imageOf(const std::string& slug) {
    return gsp::db::CatalogRepository(*db_).find(gsp::test::gameId(*db_, slug))->docker_image;
  }

  void aMissingImageIsPulledThenTheServerIsMade() {
    const std::string image = imageOf("demo-game-pulled");
    CPPUNIT_ASSERT_MESSAGE(image + " is already on the host", !docker_->imageExists(image).value());
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("pull"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game-pulled"), "pulled");
    CPPUNIT_ASSERT(docker_->imageExists(image).value());
    auto job = gsp::db::JobRepository(*db_).latestForServer(id);
    CPPUNIT_ASSERT(job && job->state == JobState::kDone);
    // The pulled game runs like any other.
    int port = gsp::db::ServerRepository(*db_).find(id)->ports[0].public_port;
    CPPUNIT_ASSERT_EQUAL(std::string("pulled\n"), gsp::test::tcpRoundTrip(port, "pulled\n", 60s));
    c.post("/servers/" + std::to_string(id) + "/delete", "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=pulled");
    gsp::test::waitUntilDeleted(*db_, id, 60s);
  }

  void aFailedPullLeavesNothingBehind() {
    struct { const char* slug; const char* says; } cases[] = {
        {"demo-game-missing", "not found"},         // the registry does not know the image
        {"demo-game-unreachable", "refused"},      // nothing listens where the registry should be
    };
    for (const auto& row : cases) {
      gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("badpull"));
      gsp::test::HttpResponse form = c.get("/servers/create");
      gsp::test::HttpResponse r = c.post("/servers/create", "csrf_token=" + gsp::test::formField(form.body, "csrf_token") +
                                                                "&game_id=" + std::to_string(gsp::test::gameId(*db_, row.slug)) +
                                                                "&name=bad-pull");
      CPPUNIT_ASSERT_EQUAL(303L, r.status);
      int64_t id = std::stoll(r.header("location").substr(9));
      gsp::test::waitUntilDeleted(*db_, id, 120s);
      auto job = gsp::db::JobRepository(*db_).latestForServer(id);
      CPPUNIT_ASSERT(job && job->state == JobState::kFailed);
      CPPUNIT_ASSERT_MESSAGE(job->message, job->message.find("The game could not be downloaded") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(job->message, job->message.find(row.says) != std::string::npos);
      // The open page learns why; nothing is left of the server.
      gsp::test::HttpResponse status = c.get("/servers/" + std::to_string(id) + "/status");
      CPPUNIT_ASSERT_EQUAL(200L, status.status);
      CPPUNIT_ASSERT(status.body.find("\"state\":\"DELETED\"") != std::string::npos);
      CPPUNIT_ASSERT(status.body.find("Could not be created") != std::string::npos);
      assertNothingLeftOf(id);
    }
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(PullTest);
