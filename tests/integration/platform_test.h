// The base of the integration tests that use the running platform (started by
// scripts/test.sh): its public URL, its config, a database connection and the
// Docker engine (as root, for looking at what the agent made).
#pragma once

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <string>

#include "core/config.h"
#include "db/database.h"
#include "docker/docker_client.h"
#include "orchestration/docker_orchestrator.h"
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
  std::string base_;
  Config config_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<docker::DockerClient> docker_;
};

}  // namespace gsp::test
