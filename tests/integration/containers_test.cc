// The containers gsp-agent makes, read back from the engine (GET
// /containers/{id}/json): the hardening of game and proxy, and a proxy that a
// flood of held clients cannot get OOM-killed at its real memory limit.
// Needs the catalog entries scripts/test.sh adds (demo-game-never-ready).
#include <cppunit/extensions/HelperMacros.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <utility>
#include <thread>

#include "core/subnet_pool.h"
#include "db/database.h"
#include "db/server_repository.h"
#include "docker/docker_client.h"
#include "net_client.h"
#include "orchestration/docker_orchestrator.h"
#include "platform_test.h"
#include "test_env.h"

using namespace std::chrono_literals;
using gsp::domain::ServerState;

namespace {

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

class ContainersTest : public gsp::test::PlatformTest {
  CPPUNIT_TEST_SUITE(ContainersTest);
  CPPUNIT_TEST(gameAndProxyAreHardened);
  CPPUNIT_TEST(aFloodOfHeldClientsDoesNotKillTheProxy);
  CPPUNIT_TEST(eachServerNetworkTakesAFreeSubnetOfThePool);
  CPPUNIT_TEST_SUITE_END();

 public:
  gsp::docker::ContainerInfo inspect(const std::string& id) {
    auto info = docker_->inspectContainer(id);
    CPPUNIT_ASSERT_MESSAGE(info.status().message(), info.isOk());
    return info.value();
  }

  void gameAndProxyAreHardened() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("hardened"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "hardened");
    gsp::db::ServerRecord s = *gsp::db::ServerRepository(*db_).find(id);

    gsp::docker::HostSettings game = inspect(s.game_container_id).host;
    CPPUNIT_ASSERT(has(game.cap_drop, "ALL"));
    CPPUNIT_ASSERT(game.cap_add.empty());  // the Demo Game needs no capability back
    CPPUNIT_ASSERT(has(game.security_opt, "no-new-privileges"));
    CPPUNIT_ASSERT_EQUAL(int64_t(512), game.pids_limit);
    CPPUNIT_ASSERT_EQUAL(int64_t(64) << 20, game.memory_bytes);
    CPPUNIT_ASSERT_EQUAL(game.memory_bytes, game.memory_swap_bytes);  // no swap
    CPPUNIT_ASSERT_EQUAL(int64_t(16384), game.nofile_soft);
    CPPUNIT_ASSERT_EQUAL(int64_t(16384), game.nofile_hard);

    gsp::docker::ContainerInfo proxy_info = inspect(s.proxy_container_id);
    gsp::docker::HostSettings proxy = proxy_info.host;
    CPPUNIT_ASSERT(has(proxy.cap_drop, "ALL"));
    CPPUNIT_ASSERT(proxy.cap_add.empty());
    CPPUNIT_ASSERT(has(proxy.security_opt, "no-new-privileges"));
    CPPUNIT_ASSERT(proxy.read_only_rootfs);
    CPPUNIT_ASSERT(proxy.pids_limit > 0 && proxy.pids_limit <= 64);
    CPPUNIT_ASSERT_EQUAL(int64_t(config_.servers_proxy_memory_mb) << 20, proxy.memory_bytes);
    CPPUNIT_ASSERT_EQUAL(proxy.memory_bytes, proxy.memory_swap_bytes);
    CPPUNIT_ASSERT_MESSAGE("the webhook folder is mounted read-only", has(proxy.read_only_mounts, "/run/gsp-webhook"));
    // Read-only and still working: a player wakes the game through it.
    int port = s.ports[0].public_port;
    CPPUNIT_ASSERT_EQUAL(std::string("hardened\n"), gsp::test::tcpRoundTrip(port, "hardened\n", 60s));
    c.post("/servers/" + std::to_string(id) + "/delete", "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=hardened");
    gsp::test::waitUntilDeleted(*db_, id, 60s);
  }

  // Docker's default pools hold about 30 bridge networks; servers take /28s of
  // servers.network-pool instead, skipping any subnet another network (here a
  // stranger's, on the next server's own place in the pool) already has.
  void eachServerNetworkTakesAFreeSubnetOfThePool() {
    const gsp::SubnetPool pool(*gsp::parseIpv4Block(config_.servers_network_pool), config_.servers_network_prefix);
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("subnets"));
    const int game = gsp::test::gameId(*db_, "demo-game");
    int64_t first = gsp::test::createServer(c, *db_, game, "subnet-a");
    gsp::Ipv4Block a = subnetOf(first);
    CPPUNIT_ASSERT_MESSAGE(a.str(), pool.block().overlaps(a) && a.prefix == config_.servers_network_prefix);

    const gsp::Ipv4Block squatted = pool.at(static_cast<uint32_t>((first + 1) % pool.count()));
    const std::string stranger = "stranger-" + std::to_string(getpid());
    CPPUNIT_ASSERT(docker_->createNetwork({stranger, false, {}, squatted.str()}).isOk());
    int64_t second = gsp::test::createServer(c, *db_, game, "subnet-b");
    gsp::Ipv4Block b = subnetOf(second);
    CPPUNIT_ASSERT_EQUAL(first + 1, second);  // so the stranger sat on its first choice
    CPPUNIT_ASSERT_MESSAGE(b.str(), pool.block().overlaps(b) && !b.overlaps(squatted) && !b.overlaps(a));
    CPPUNIT_ASSERT(docker_->removeNetwork(stranger).isOk());
    // No two networks on the engine share an address.
    auto all = docker_->listNetworks(gsp::docker::LabelFilter());
    CPPUNIT_ASSERT(all.isOk());
    for (const gsp::docker::NetworkInfo& n : all.value()) {
      if (n.name == objectName(first) || n.name == objectName(second)) continue;
      for (const std::string& subnet : n.subnets) {
        std::optional<gsp::Ipv4Block> other = gsp::parseIpv4Block(subnet);
        CPPUNIT_ASSERT_MESSAGE(n.name + " " + subnet, !other || (!other->overlaps(a) && !other->overlaps(b)));
      }
    }
    // Ports still answer through the new networks.
    int port = gsp::db::ServerRepository(*db_).find(second)->ports[0].public_port;
    CPPUNIT_ASSERT_EQUAL(std::string("subnet\n"), gsp::test::tcpRoundTrip(port, "subnet\n", 60s));
    for (auto [id, name] : {std::pair{first, "subnet-a"}, std::pair{second, "subnet-b"}}) {
      c.post("/servers/" + std::to_string(id) + "/delete",
             "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=" + name);
      gsp::test::waitUntilDeleted(*db_, id, 60s);
    }
  }

  std::string objectName(int64_t server_id) {
    return config_.servers_object_prefix + "-" + std::to_string(server_id) + "-net";
  }

  gsp::Ipv4Block subnetOf(int64_t server_id) {
    auto net = docker_->inspectNetwork(objectName(server_id));
    CPPUNIT_ASSERT_MESSAGE(net.status().message(), net.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(1), net->subnets.size());
    std::optional<gsp::Ipv4Block> b = gsp::parseIpv4Block(net->subnets[0]);
    CPPUNIT_ASSERT_MESSAGE(net->subnets[0], b.has_value());
    return *b;
  }

  // 1,500 clients each sending 64 KiB to a proxy (32 MiB limit) whose game never
  // becomes ready: ~94 MiB offered. The proxy holds what its budget allows,
  // refuses clients past --max-held-clients, and is neither killed nor restarted.
  void aFloodOfHeldClientsDoesNotKillTheProxy() {
    struct rlimit files;
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, 8192);
    setrlimit(RLIMIT_NOFILE, &files);

    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("flood"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game-never-ready"), "flood");
    gsp::db::ServerRecord s = *gsp::db::ServerRepository(*db_).find(id);
    int port = s.ports[0].public_port;

    const std::string payload(64 * 1024, 'x');
    std::vector<int> fds;
    int connected = 0;
    for (int i = 0; i < 1500; ++i) {
      int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      struct sockaddr_in addr = {};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(static_cast<uint16_t>(port));
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      connect(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof addr);
      fds.push_back(fd);
    }
    std::this_thread::sleep_for(1s);
    for (int fd : fds) {
      if (send(fd, payload.data(), payload.size(), MSG_NOSIGNAL) > 0) ++connected;
    }
    std::this_thread::sleep_for(5s);  // the proxy reads what it may hold

    gsp::docker::ContainerInfo proxy = inspect(s.proxy_container_id);
    auto usage = docker_->containerStats(s.proxy_container_id);
    CPPUNIT_ASSERT_MESSAGE(usage.status().message(), usage.isOk());
    for (int fd : fds) close(fd);
    CPPUNIT_ASSERT_MESSAGE("clients that got bytes in: " + std::to_string(connected), connected > 100);
    CPPUNIT_ASSERT_MESSAGE("the proxy was OOM-killed", !proxy.state.oom_killed);
    CPPUNIT_ASSERT(proxy.state.running);
    CPPUNIT_ASSERT_EQUAL(int64_t(0), proxy.restart_count);
    const int64_t used = static_cast<int64_t>(usage->memory_bytes);
    CPPUNIT_ASSERT_MESSAGE("memory " + std::to_string(used), used < (int64_t(config_.servers_proxy_memory_mb) << 20));
    // And it still works: the page shows the waking server, deleting it cleans up.
    c.post("/servers/" + std::to_string(id) + "/delete", "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=flood");
    gsp::test::waitUntilDeleted(*db_, id, 60s);
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ContainersTest);
