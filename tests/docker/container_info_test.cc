#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "docker/container_info.h"
#include "docker/engine_objects.h"

using gsp::docker::ContainerStatus;
using gsp::docker::ErrorKind;
using gsp::docker::HealthStatus;
using gsp::docker::parseContainerInfo;
using gsp::docker::parseContainerList;
using gsp::docker::parseEngineVersion;
using gsp::docker::parseVolumeList;
using gsp::docker::Protocol;

namespace {

// Trimmed from GET /containers/{id}/json of docker.io 20.10.
const char* kRunning = R"({
  "Id": "4fa6e0f0c678", "Name": "/gsp-7-proxy", "Image": "sha256:abc", "RestartCount": 2,
  "State": {"Status": "running", "Running": true, "Paused": false, "Restarting": false, "OOMKilled": false,
            "Dead": false, "Pid": 4242, "ExitCode": 0, "Error": "",
            "StartedAt": "2024-05-01T12:00:00.123456789Z", "FinishedAt": "0001-01-01T00:00:00Z",
            "Health": {"Status": "healthy", "FailingStreak": 0, "Log": []}},
  "Config": {"Image": "gsp/proxy:latest", "Labels": {"gsp.role": "proxy", "gsp.server_id": "7"}},
  "NetworkSettings": {
    "Ports": {"25565/tcp": [{"HostIp": "127.0.0.1", "HostPort": "30001"}],
              "25565/udp": [{"HostIp": "127.0.0.1", "HostPort": "30002"}],
              "8080/tcp": null, "1/sctp": [{"HostIp": "", "HostPort": "5"}]},
    "Networks": {"gsp-7": {"Aliases": ["4fa6e0f0c678"]}}}
})";

const char* kExited = R"({"Id": "abc", "Name": "/g", "State": {"Status": "exited", "Running": false,
  "ExitCode": 137, "OOMKilled": true, "Error": "", "StartedAt": "2024-05-01T12:00:00Z",
  "FinishedAt": "2024-05-01T13:00:00Z"}, "Config": {"Image": "x", "Labels": null},
  "NetworkSettings": {"Ports": {}, "Networks": {}}})";

}  // namespace

class ContainerInfoTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ContainerInfoTest);
  CPPUNIT_TEST(readsARunningContainer);
  CPPUNIT_TEST(readsAnExitedContainer);
  CPPUNIT_TEST(readsAList);
  CPPUNIT_TEST(readsVersionsAndVolumeLists);
  CPPUNIT_TEST(refusesAnswersThatAreNotContainers);
  CPPUNIT_TEST_SUITE_END();

 public:
  void readsARunningContainer() {
    auto c = parseContainerInfo(kRunning, "inspect");
    CPPUNIT_ASSERT(c.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("gsp-7-proxy"), c->name);
    CPPUNIT_ASSERT_EQUAL(std::string("gsp/proxy:latest"), c->image);
    CPPUNIT_ASSERT_EQUAL(std::string("7"), c->labels.at("gsp.server_id"));
    CPPUNIT_ASSERT(c->state.status == ContainerStatus::kRunning);
    CPPUNIT_ASSERT(c->state.running);
    CPPUNIT_ASSERT_EQUAL(int64_t(4242), c->state.pid);
    CPPUNIT_ASSERT(c->state.health == HealthStatus::kHealthy);
    CPPUNIT_ASSERT_EQUAL(std::string("2024-05-01T12:00:00.123456789Z"), c->state.started_at);
    CPPUNIT_ASSERT_EQUAL(int64_t(2), c->restart_count);
    // Unpublished (null) and sctp ports are left out.
    CPPUNIT_ASSERT_EQUAL(size_t(2), c->published_ports.size());
    for (const auto& p : c->published_ports) {
      CPPUNIT_ASSERT_EQUAL(uint16_t(25565), p.container_port);
      CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), p.host_ip);
      CPPUNIT_ASSERT_EQUAL(p.protocol == Protocol::kTcp ? uint16_t(30001) : uint16_t(30002), p.host_port);
    }
    CPPUNIT_ASSERT_EQUAL(size_t(1), c->networks.size());
    CPPUNIT_ASSERT_EQUAL(std::string("gsp-7"), c->networks[0]);
  }

  void readsAnExitedContainer() {
    auto c = parseContainerInfo(kExited, "inspect");
    CPPUNIT_ASSERT(c.isOk());
    CPPUNIT_ASSERT(c->state.status == ContainerStatus::kExited);
    CPPUNIT_ASSERT(!c->state.running);
    CPPUNIT_ASSERT_EQUAL(int64_t(137), c->state.exit_code);
    CPPUNIT_ASSERT(c->state.oom_killed);
    CPPUNIT_ASSERT(c->state.health == HealthStatus::kNone);
    CPPUNIT_ASSERT(c->labels.empty());
  }

  void readsAList() {
    auto l = parseContainerList(R"([
      {"Id": "a1", "Names": ["/gsp-7-proxy"], "Image": "gsp/proxy", "State": "running", "Status": "Up 5 minutes",
       "Labels": {"gsp.role": "proxy"}},
      {"Id": "b2", "Names": ["/gsp-7-game"], "Image": "gsp/game", "State": "created", "Status": "Created"},
      {"Id": "c3", "Names": ["/x"], "State": "paused"}, {"Names": ["/no-id"]}, 17])", "list");
    CPPUNIT_ASSERT(l.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(3), l->size());
    CPPUNIT_ASSERT_EQUAL(std::string("gsp-7-proxy"), l.value()[0].names[0]);
    CPPUNIT_ASSERT(l.value()[0].state == ContainerStatus::kRunning);
    CPPUNIT_ASSERT_EQUAL(std::string("Up 5 minutes"), l.value()[0].status_text);
    CPPUNIT_ASSERT(l.value()[1].state == ContainerStatus::kCreated);
    CPPUNIT_ASSERT(l.value()[2].state == ContainerStatus::kPaused);
    auto empty = parseContainerList("[]", "list");
    CPPUNIT_ASSERT(empty.isOk() && empty->empty());
  }

  void readsVersionsAndVolumeLists() {
    auto v = parseEngineVersion(R"({"Version": "20.10.24", "ApiVersion": "1.41", "MinAPIVersion": "1.12", "Os": "linux"})", "version");
    CPPUNIT_ASSERT(v.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("1.41"), v->api.engine_max.toString());
    CPPUNIT_ASSERT_EQUAL(std::string("1.12"), v->api.engine_min->toString());
    auto no_api = parseEngineVersion(R"({"Version": "x", "ApiVersion": 1.41})", "version");
    CPPUNIT_ASSERT(!no_api.isOk());
    CPPUNIT_ASSERT(no_api.error().kind() == ErrorKind::kBadResponse);

    auto none = parseVolumeList(R"({"Volumes": null, "Warnings": null})", "volumes");
    CPPUNIT_ASSERT(none.isOk() && none->empty());
    auto some = parseVolumeList(R"({"Volumes": [{"Name": "v1", "Driver": "local", "Labels": {"a": "b"}}]})", "volumes");
    CPPUNIT_ASSERT(some.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("b"), some.value()[0].labels.at("a"));
  }

  void refusesAnswersThatAreNotContainers() {
    for (const char* bad : {"", "null", "[]", "{}", R"({"Id": 5})", "<html>", "{\"Id\": \"x\""}) {
      auto c = parseContainerInfo(bad, "inspect container x");
      CPPUNIT_ASSERT_MESSAGE(bad, !c.isOk());
      CPPUNIT_ASSERT(c.error().kind() == ErrorKind::kBadResponse);
      CPPUNIT_ASSERT(c.status().message().find("inspect container x") != std::string::npos);
    }
    CPPUNIT_ASSERT(!parseContainerList("{}", "list").isOk());
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ContainerInfoTest);
