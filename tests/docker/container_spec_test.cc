#include <cppunit/extensions/HelperMacros.h>

#include <string>

#include "docker/container_spec.h"

using gsp::docker::containerCreateBody;
using gsp::docker::ContainerSpec;
using gsp::docker::Json;
using gsp::docker::JsonFileLogs;
using gsp::docker::Mount;
using gsp::docker::Protocol;
using gsp::docker::RestartPolicy;

class ContainerSpecTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ContainerSpecTest);
  CPPUNIT_TEST(aProxyContainerBody);
  CPPUNIT_TEST(aGameContainerBody);
  CPPUNIT_TEST(aMinimalBodyLeavesDefaultsToTheEngine);
  CPPUNIT_TEST_SUITE_END();

 public:
  // The sidecar: published TCP and UDP ports, the webhook socket, restart, small limit.
  void aProxyContainerBody() {
    ContainerSpec s;
    s.image = "gsp/proxy:latest";
    s.env = {"GSP_SECRET=s3cret"};
    s.labels = {{"gsp.managed", "true"}, {"gsp.server_id", "7"}, {"gsp.role", "proxy"}};
    s.network = "gsp-7";
    s.mounts = {{Mount::Type::kBind, "/run/gsp/webhook.sock", "/run/gsp/webhook.sock", false}};
    s.ports = {{25565, Protocol::kTcp, "127.0.0.1", 30001}, {25565, Protocol::kUdp, "127.0.0.1", 30001},
               {9000, Protocol::kTcp, "", 0}};
    s.restart = RestartPolicy::kUnlessStopped;
    s.memory_bytes = 32 << 20;
    Json b = containerCreateBody(s);
    CPPUNIT_ASSERT_EQUAL(std::string("gsp/proxy:latest"), b["Image"].get<std::string>());
    CPPUNIT_ASSERT(b["Env"] == Json::array({"GSP_SECRET=s3cret"}));
    CPPUNIT_ASSERT_EQUAL(std::string("7"), b["Labels"]["gsp.server_id"].get<std::string>());
    CPPUNIT_ASSERT(b["ExposedPorts"] == Json::parse(R"({"25565/tcp":{},"25565/udp":{},"9000/tcp":{}})"));
    const Json& h = b["HostConfig"];
    CPPUNIT_ASSERT(h["PortBindings"] == Json::parse(R"({
        "25565/tcp": [{"HostIp": "127.0.0.1", "HostPort": "30001"}],
        "25565/udp": [{"HostIp": "127.0.0.1", "HostPort": "30001"}],
        "9000/tcp": [{"HostIp": "", "HostPort": ""}]})"));
    CPPUNIT_ASSERT(h["Mounts"] == Json::parse(R"([{"Type": "bind", "Source": "/run/gsp/webhook.sock",
        "Target": "/run/gsp/webhook.sock", "ReadOnly": false}])"));
    CPPUNIT_ASSERT_EQUAL(std::string("unless-stopped"), h["RestartPolicy"]["Name"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(int64_t(32 << 20), h["Memory"].get<int64_t>());
    CPPUNIT_ASSERT_EQUAL(std::string("gsp-7"), h["NetworkMode"].get<std::string>());
    CPPUNIT_ASSERT(b["NetworkingConfig"] == Json::parse(R"({"EndpointsConfig": {"gsp-7": {}}})"));
  }

  // The game: alias, volume, CPU and memory, capped logs, read-only root, user, no ports.
  void aGameContainerBody() {
    ContainerSpec s;
    s.image = "gsp/demo-game";
    s.cmd = {"/game", "--port", "7777"};
    s.user = "1000:1000";
    s.network = "gsp-7";
    s.network_aliases = {"game"};
    s.mounts = {{Mount::Type::kVolume, "gsp-7-data", "/data", false}};
    s.memory_bytes = 1LL << 30;
    s.nano_cpus = 1500000000;
    s.logs = JsonFileLogs{"10m", 3};
    s.read_only_rootfs = true;
    Json b = containerCreateBody(s);
    CPPUNIT_ASSERT(b["Cmd"] == Json::array({"/game", "--port", "7777"}));
    CPPUNIT_ASSERT_EQUAL(std::string("1000:1000"), b["User"].get<std::string>());
    CPPUNIT_ASSERT(!b.contains("ExposedPorts"));
    const Json& h = b["HostConfig"];
    CPPUNIT_ASSERT(!h.contains("PortBindings"));
    CPPUNIT_ASSERT(h["Mounts"][0] == Json::parse(R"({"Type": "volume", "Source": "gsp-7-data", "Target": "/data", "ReadOnly": false})"));
    CPPUNIT_ASSERT_EQUAL(int64_t(1500000000), h["NanoCpus"].get<int64_t>());
    CPPUNIT_ASSERT(h["LogConfig"] == Json::parse(R"({"Type": "json-file", "Config": {"max-size": "10m", "max-file": "3"}})"));
    CPPUNIT_ASSERT_EQUAL(true, h["ReadonlyRootfs"].get<bool>());
    CPPUNIT_ASSERT(b["NetworkingConfig"] == Json::parse(R"({"EndpointsConfig": {"gsp-7": {"Aliases": ["game"]}}})"));
  }

  void aMinimalBodyLeavesDefaultsToTheEngine() {
    ContainerSpec s;
    s.image = "busybox";
    Json b = containerCreateBody(s);
    for (const char* absent : {"Cmd", "Env", "User", "ExposedPorts", "NetworkingConfig"}) {
      CPPUNIT_ASSERT_MESSAGE(absent, !b.contains(absent));
    }
    for (const char* absent : {"Memory", "NanoCpus", "LogConfig", "ReadonlyRootfs", "NetworkMode", "Mounts"}) {
      CPPUNIT_ASSERT_MESSAGE(absent, !b["HostConfig"].contains(absent));
    }
    CPPUNIT_ASSERT_EQUAL(std::string("no"), b["HostConfig"]["RestartPolicy"]["Name"].get<std::string>());
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ContainerSpecTest);
