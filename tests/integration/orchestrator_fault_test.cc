// DockerOrchestrator against a fake Docker engine that fails on purpose (500s,
// garbage JSON, no answer at all), with the real database: every failure gives
// a clear message and leaves no half-made server, no taken port, no orphan.
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/crypto.h"
#include "core/subnet_pool.h"
#include "db/database.h"
#include "db/server_repository.h"
#include "db/user_repository.h"
#include "docker/curl_unix_transport.h"
#include "docker/docker_client.h"
#include "docker/fake_docker_server.h"
#include "orchestration/docker_orchestrator.h"
#include "test_env.h"

using gsp::docker::testing::FakeDockerServer;
using gsp::domain::ServerState;

namespace {

// An engine that answers every call normally except those whose method and
// path contain `fail_on`, which get `failure`.
FakeDockerServer::Handler engine(const std::string& fail_on, FakeDockerServer::Reply failure) {
  return [fail_on, failure](const FakeDockerServer::Request& r) {
    std::string call = r.method + " " + r.target;
    if (call.find(fail_on) != std::string::npos) return failure;
    if (r.target == "/version") return FakeDockerServer::version("1.41", "1.12");
    if (call.find("GET /v1.41/networks") == 0) return FakeDockerServer::json(200, "[]");
    if (call.find("GET /v1.41/images/") == 0) return FakeDockerServer::json(200, "{\"Id\":\"sha256:abc\",\"RepoTags\":[]}");
    if (call.find("POST /v1.41/networks/create") == 0) return FakeDockerServer::json(201, "{\"Id\":\"net1\"}");
    if (call.find("POST /v1.41/volumes/create") == 0) return FakeDockerServer::json(201, "{\"Name\":\"vol1\",\"Driver\":\"local\"}");
    if (call.find("POST /v1.41/containers/create") == 0) return FakeDockerServer::json(201, "{\"Id\":\"c1\",\"Warnings\":[]}");
    if (r.method == "DELETE" || call.find("/start") != std::string::npos || call.find("/stop") != std::string::npos)
      return FakeDockerServer::json(204, "");
    return FakeDockerServer::engineError(404, "no such object");
  };
}

}  // namespace

class OrchestratorFaultTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(OrchestratorFaultTest);
  CPPUNIT_TEST(engineErrorsLeaveNothingBehind);
  CPPUNIT_TEST(engineDownIsAClearUnavailable);
  CPPUNIT_TEST(wakeFailureIsAnErrorStateWithTheReason);
  CPPUNIT_TEST(anEngineThatDoesNotAnswerNeverMeansError);
  CPPUNIT_TEST(serverNetworksSkipTakenSubnets);
  CPPUNIT_TEST(aFullNetworkPoolIsAClearFailure);
  CPPUNIT_TEST_SUITE_END();

  gsp::Config config_;
  std::unique_ptr<gsp::db::Database> db_;
  gsp::orchestration::StatsSampler sampler_;
  std::vector<int64_t> rows_made_;  // their containers lived on a fake engine only

 public:
  // Deleted again, so no later reconcile on the real engine repairs them.
  void tearDown() override {
    for (int64_t id : rows_made_) gsp::db::ServerRepository(*db_).markDeleted(id, "test over");
  }

  void setUp() override {
    config_ = gsp::test::testConfig();
    config_.docker_timeout_seconds = 2;
    db_ = std::make_unique<gsp::db::Database>(config_.database);
  }

  int64_t newServer() {
    const std::string email = gsp::test::uniqueEmail("fault");
    gsp::db::User u = gsp::db::UserRepository(*db_).signIn("google", email, email, 500);
    auto rs = db_->sql("SELECT id FROM game_images WHERE slug = 'demo-game'").rows();
    rs->next();
    gsp::db::NewServer n;
    n.user_id = u.id;
    n.game_image_id = rs->getInt(1);
    n.name = "fault";
    n.webhook_secret = gsp::crypto::toHex(gsp::crypto::randomBytes(32));
    n.ports = {{"tcp", 7000}, {"udp", 7000}};
    n.port_min = config_.servers_port_min;
    n.port_max = config_.servers_port_max;
    auto id = gsp::db::ServerRepository(*db_).create(n);
    CPPUNIT_ASSERT(id.isOk());
    rows_made_.push_back(id.value());
    return id.value();
  }

  gsp::orchestration::DockerOrchestrator orchestrator(const FakeDockerServer& fake) {
    gsp::Config c = config_;
    c.docker_socket = fake.socketPath();
    return gsp::orchestration::DockerOrchestrator(config_, *db_, gsp::orchestration::connectDocker(c), sampler_);
  }

  static void noProgress(const std::string&, int64_t, int64_t) {}

  int portsOf(int64_t id) {
    auto rs = db_->sql("SELECT COUNT(*) FROM server_ports WHERE server_id = ?").arg(id).rows();
    rs->next();
    return rs->getInt(1);
  }

  void expectCleanFailure(const std::string& fail_on, FakeDockerServer::Reply failure, const char* why) {
    FakeDockerServer fake(engine(fail_on, failure));
    int64_t id = newServer();
    gsp::Status s = orchestrator(fake).create(id, noProgress);
    CPPUNIT_ASSERT_MESSAGE(why, !s.isOk());
    CPPUNIT_ASSERT_MESSAGE(why, !s.message().empty());
    CPPUNIT_ASSERT_MESSAGE(why, !gsp::db::ServerRepository(*db_).find(id).has_value());  // gone for the user
    CPPUNIT_ASSERT_EQUAL_MESSAGE(why, 0, portsOf(id));                                    // ports freed
    // Whatever was made before the failure was removed again.
    bool made_network = false, removed_network = false, made_container = false, removed_container = false;
    for (const auto& r : fake.requests()) {
      made_network |= r.method == "POST" && r.target.find("/networks/create") != std::string::npos;
      removed_network |= r.method == "DELETE" && r.target.find("/networks/") != std::string::npos;
      made_container |= r.method == "POST" && r.target.find("/containers/create") != std::string::npos;
      removed_container |= r.method == "DELETE" && r.target.find("/containers/") != std::string::npos;
    }
    CPPUNIT_ASSERT_MESSAGE(why, !made_network || removed_network);
    CPPUNIT_ASSERT_MESSAGE(why, !made_container || removed_container);
  }

  void engineErrorsLeaveNothingBehind() {
    expectCleanFailure("POST /v1.41/containers/create", FakeDockerServer::engineError(500, "disk full"), "500 on create");
    expectCleanFailure("POST /v1.41/volumes/create", FakeDockerServer::json(201, "{not json"), "garbage JSON");
    expectCleanFailure("/start", FakeDockerServer::fault(FakeDockerServer::Reply::Kind::kNeverAnswer), "timeout on start");
    expectCleanFailure("POST /v1.41/networks/create", FakeDockerServer::fault(FakeDockerServer::Reply::Kind::kCloseMidBody, "{\"Id\":\"abcdef\"}"), "cut answer");
  }

  void engineDownIsAClearUnavailable() {
    gsp::Config c = config_;
    c.docker_socket = "/nonexistent/docker.sock";
    int64_t id = newServer();
    gsp::orchestration::DockerOrchestrator o(config_, *db_, gsp::orchestration::connectDocker(c), sampler_);
    gsp::Status s = o.create(id, noProgress);
    CPPUNIT_ASSERT(s.code() == gsp::Status::Code::kUnavailable);
    CPPUNIT_ASSERT(s.message().find("not answering") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(0, portsOf(id));
  }

  void wakeFailureIsAnErrorStateWithTheReason() {
    int64_t id = newServer();
    gsp::db::ServerRepository servers(*db_);
    servers.setDockerObjects(id, "n", "v", "p", "g");
    CPPUNIT_ASSERT(servers.transition(id, ServerState::kCreating, ServerState::kSleeping, "test"));
    FakeDockerServer fake(engine("/start", FakeDockerServer::engineError(500, "cannot allocate memory")));
    gsp::Status s = orchestrator(fake).wake(*servers.find(id), "test wake", true);
    CPPUNIT_ASSERT(!s.isOk());
    auto now = servers.find(id);
    CPPUNIT_ASSERT(now->state == ServerState::kError);
    CPPUNIT_ASSERT(now->state_message.find("cannot allocate memory") != std::string::npos);
    // ERROR allows a retry, which works once the engine does.
    FakeDockerServer healthy(engine("nothing fails", {}));
    CPPUNIT_ASSERT(orchestrator(healthy).wake(*servers.find(id), "retry", true).isOk());
    CPPUNIT_ASSERT(servers.find(id)->state == ServerState::kStarting);
  }

  // An engine restarting or overloaded is no fault of the server's: a wake goes
  // back to sleep, a sleep and a delete keep their passing state for the
  // reconcile to finish. None is ERROR.
  void anEngineThatDoesNotAnswerNeverMeansError() {
    config_.servers_stop_grace_seconds = 1;  // the stop call waits that long beyond the timeout
    gsp::db::ServerRepository servers(*db_);
    int64_t id = newServer();
    servers.setDockerObjects(id, "n", "v", "p", "g");
    CPPUNIT_ASSERT(servers.transition(id, ServerState::kCreating, ServerState::kSleeping, "test"));
    FakeDockerServer slow_start(engine("/start", FakeDockerServer::fault(FakeDockerServer::Reply::Kind::kNeverAnswer)));
    gsp::Status woken = orchestrator(slow_start).wake(*servers.find(id), "test wake", true);
    CPPUNIT_ASSERT(woken.code() == gsp::Status::Code::kUnavailable);
    CPPUNIT_ASSERT_EQUAL(std::string("SLEEPING"), std::string(gsp::domain::stateName(servers.find(id)->state)));

    CPPUNIT_ASSERT(servers.transition(id, ServerState::kSleeping, ServerState::kStarting, "test"));
    CPPUNIT_ASSERT(servers.transition(id, ServerState::kStarting, ServerState::kRunning, "test"));
    FakeDockerServer slow_stop(engine("/stop", FakeDockerServer::fault(FakeDockerServer::Reply::Kind::kNeverAnswer)));
    gsp::Status slept = orchestrator(slow_stop).hibernate(*servers.find(id), "test sleep", true);
    CPPUNIT_ASSERT(slept.code() == gsp::Status::Code::kUnavailable);
    CPPUNIT_ASSERT_EQUAL(std::string("STOPPING"), std::string(gsp::domain::stateName(servers.find(id)->state)));
    // The reconcile's HIBERNATE (begin false) finishes it once the engine answers.
    FakeDockerServer healthy(engine("nothing fails", {}));
    CPPUNIT_ASSERT(orchestrator(healthy).hibernate(*servers.find(id), "finish", false).isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("SLEEPING"), std::string(gsp::domain::stateName(servers.find(id)->state)));

    gsp::Config down = config_;
    down.docker_socket = "/nonexistent/docker.sock";
    gsp::orchestration::DockerOrchestrator away(config_, *db_, gsp::orchestration::connectDocker(down), sampler_);
    gsp::Status deleted = away.destroy(*servers.find(id), "test delete", true);
    CPPUNIT_ASSERT(deleted.code() == gsp::Status::Code::kUnavailable);
    CPPUNIT_ASSERT_MESSAGE(deleted.message(), deleted.message().find("tried again by itself") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("DELETING"), std::string(gsp::domain::stateName(servers.find(id)->state)));
    CPPUNIT_ASSERT(orchestrator(healthy).destroy(*servers.find(id), "finish", false).isOk());
    CPPUNIT_ASSERT(!servers.find(id).has_value());
  }

  // A network of the host on half the pool, and an engine refusing the first
  // subnet asked for (another create took it a moment before): the server's
  // network still gets a subnet of the pool that overlaps neither.
  void serverNetworksSkipTakenSubnets() {
    auto creates = std::make_shared<std::atomic<int>>(0);
    FakeDockerServer::Handler normal = engine("nothing fails", {});
    FakeDockerServer fake([creates, normal](const FakeDockerServer::Request& r) {
      if (r.method == "GET" && r.target.find("/v1.41/networks") == 0)
        return FakeDockerServer::json(200, "[{\"Id\":\"lan\",\"Name\":\"lan\",\"IPAM\":{\"Config\":["
                                           "{\"Subnet\":\"10.201.0.0/17\"},{\"Subnet\":\"fd00::/64\"}]}}]");
      if (r.method == "POST" && r.target.find("/networks/create") != std::string::npos && (*creates)++ == 0)
        return FakeDockerServer::engineError(403, "Pool overlaps with other one on this address space");
      return normal(r);
    });
    int64_t id = newServer();
    gsp::Status made = orchestrator(fake).create(id, noProgress);
    CPPUNIT_ASSERT_MESSAGE(made.message(), made.isOk());
    std::vector<gsp::Ipv4Block> asked;
    for (const auto& r : fake.requests()) {
      if (r.method != "POST" || r.target.find("/networks/create") == std::string::npos) continue;
      auto body = nlohmann::json::parse(r.body);
      asked.push_back(*gsp::parseIpv4Block(body["IPAM"]["Config"][0]["Subnet"].get<std::string>()));
    }
    CPPUNIT_ASSERT_EQUAL(size_t(2), asked.size());
    const gsp::Ipv4Block lan = *gsp::parseIpv4Block("10.201.0.0/17");
    const gsp::Ipv4Block pool = *gsp::parseIpv4Block(config_.servers_network_pool);
    for (const gsp::Ipv4Block& b : asked) {
      CPPUNIT_ASSERT_MESSAGE(b.str(), pool.overlaps(b) && !lan.overlaps(b) && b.prefix == config_.servers_network_prefix);
    }
    CPPUNIT_ASSERT(!asked[0].overlaps(asked[1]));
  }

  void aFullNetworkPoolIsAClearFailure() {
    FakeDockerServer::Handler normal = engine("nothing fails", {});
    FakeDockerServer fake([normal](const FakeDockerServer::Request& r) {
      if (r.method == "GET" && r.target.find("/v1.41/networks") == 0)
        return FakeDockerServer::json(200, "[{\"Id\":\"lan\",\"Name\":\"lan\",\"IPAM\":{\"Config\":["
                                           "{\"Subnet\":\"10.0.0.0/8\"}]}}]");
      return normal(r);
    });
    int64_t id = newServer();
    gsp::Status made = orchestrator(fake).create(id, noProgress);
    CPPUNIT_ASSERT(!made.isOk());
    CPPUNIT_ASSERT_MESSAGE(made.message(), made.message().find("no private network address left") != std::string::npos);
    CPPUNIT_ASSERT(!gsp::db::ServerRepository(*db_).find(id).has_value());
    CPPUNIT_ASSERT_EQUAL(0, portsOf(id));
    for (const auto& r : fake.requests()) CPPUNIT_ASSERT(r.target.find("/networks/create") == std::string::npos);
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(OrchestratorFaultTest);
