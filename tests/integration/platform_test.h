// The base of the integration tests that use the running platform (started by
// scripts/test.sh): its public URL, its config, a database connection and the
// Docker engine (as root, for looking at what the agent made).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <memory>
#include <thread>
#include <string>

#include "core/config.h"
#include "db/database.h"
#include "db/server_repository.h"
#include "docker/docker_client.h"
#include "orchestration/docker_orchestrator.h"
#include "net_client.h"
#include "test_env.h"

namespace gsp::test {

class PlatformTest : public CppUnit::TestFixture {
 public:
  void setUp() override {
    base_ = env("GSP_TEST_BASE_URL");
    config_ = testConfig();
    db_ = std::make_unique<db::Database>(config_.database);
    docker_ = orchestration::connectDocker(config_);
  }

 protected:
  // One gsp-lifecycle pass (GSP_TEST_LIFECYCLE); `now` 0: the real clock.
  std::string tick(int64_t now = 0) {
    int status = 0;
    std::string out =
        runCommand(env("GSP_TEST_LIFECYCLE") + " tick" + (now ? " --now=" + std::to_string(now) : ""), &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    return out;
  }

  // A new server of `game`, woken by a player and RUNNING.
  int64_t runningServer(HttpClient& c, const std::string& name, const std::string& game = "demo-game") {
    using namespace std::chrono_literals;
    int64_t id = createServer(c, *db_, gameId(*db_, game), name);
    int port = db::ServerRepository(*db_).find(id)->ports[0].public_port;
    CPPUNIT_ASSERT_EQUAL(std::string("go\n"), tcpRoundTrip(port, "go\n", 60s));
    waitForState(*db_, id, domain::ServerState::kRunning, 60s);
    waitForNoActiveJob(id);
    return id;
  }

  // The server's act (a wake, a sleep) has ended: the next one is not refused as "busy".
  void waitForNoActiveJob(int64_t id) {
    using namespace std::chrono_literals;
    for (int i = 0; i < 600; ++i) {
      auto rs = db_->sql("SELECT COUNT(*) FROM jobs WHERE active_server_id = ?").arg(id).rows();
      if (rs->next() && rs->getInt(1) == 0) return;
      std::this_thread::sleep_for(100ms);
    }
    CPPUNIT_FAIL("server " + std::to_string(id) + " stayed busy with a job");
  }

  // No container, network or volume labelled for the server, and no public port held.
  void assertNothingLeftOf(int64_t server_id) {
    docker::LabelFilter mine;
    mine.equals("gsp.installation", config_.servers_object_prefix).equals("gsp.server_id", std::to_string(server_id));
    CPPUNIT_ASSERT(docker_->listContainers(mine)->empty());
    CPPUNIT_ASSERT(docker_->listNetworks(mine)->empty());
    CPPUNIT_ASSERT(docker_->listVolumes(mine)->empty());
    auto ports = db_->sql("SELECT COUNT(*) FROM server_ports WHERE server_id = ?").arg(server_id).rows();
    CPPUNIT_ASSERT(ports->next());
    CPPUNIT_ASSERT_EQUAL(0, ports->getInt(1));
  }

  std::string base_;
  Config config_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<docker::DockerClient> docker_;
};

}  // namespace gsp::test
