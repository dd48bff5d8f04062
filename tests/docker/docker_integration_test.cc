// DockerClient against the real engine (GSP_TEST_DOCKER_SOCKET, default
// /var/run/docker.sock) with the busybox image of build_test_image.sh
// (GSP_TEST_DOCKER_IMAGE). Every object carries the labels gsp.test.suite,
// gsp.test.run and gsp.test.pid; each test starts by removing what killed runs
// of this suite left (their process is gone; a run going on beside this one is
// left alone) and ends by removing its own. A missing engine or image fails.
#include <cppunit/extensions/HelperMacros.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "docker/curl_unix_transport.h"
#include "docker/docker_client.h"

using gsp::Status;
using gsp::docker::ContainerInfo;
using gsp::docker::ContainerSpec;
using gsp::docker::ContainerStatus;
using gsp::docker::CurlUnixTransport;
using gsp::docker::CurlUnixTransportOptions;
using gsp::docker::DockerClient;
using gsp::docker::JsonFileLogs;
using gsp::docker::LabelFilter;
using gsp::docker::LogLine;
using gsp::docker::LogOptions;
using gsp::docker::NetworkInfo;
using gsp::docker::LogStream;
using gsp::docker::Mount;
using gsp::docker::Protocol;
using gsp::docker::RestartPolicy;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const char* kSuiteLabel = "gsp.test.suite";
const char* kSuite = "docker_client";
const char* kPidLabel = "gsp.test.pid";

// True for objects of a run whose process no longer exists.
bool orphaned(const std::map<std::string, std::string>& labels) {
  auto it = labels.find(kPidLabel);
  const int pid = it == labels.end() ? 0 : std::atoi(it->second.c_str());
  return pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH);
}

std::string env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string image() { return env("GSP_TEST_DOCKER_IMAGE", "gsp-test-busybox:latest"); }

// Unique per test: names never collide with an earlier run's leftovers.
std::string newRunId() {
  static int counter = 0;
  return "gspdt" + std::to_string(getpid()) + "x" + std::to_string(++counter);
}

std::unique_ptr<DockerClient> newClient() {
  CurlUnixTransportOptions t;
  t.socket_path = env("GSP_TEST_DOCKER_SOCKET", "/var/run/docker.sock");
  return std::make_unique<DockerClient>(std::make_unique<CurlUnixTransport>(t));
}

long long msSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

bool hasLine(const std::vector<LogLine>& lines, LogStream stream, const std::string& text) {
  for (const LogLine& l : lines) {
    if (l.stream == stream && l.text == text) return true;
  }
  return false;
}

// The files of a tar archive: name -> content (regular files only).
std::map<std::string, std::string> untar(const std::string& tar) {
  std::map<std::string, std::string> files;
  size_t pos = 0;
  while (pos + 512 <= tar.size() && tar[pos] != '\0') {
    const char* h = tar.data() + pos;
    std::string name(h, strnlen(h, 100));
    const std::string prefix(h + 345, strnlen(h + 345, 155));
    if (!prefix.empty()) name = prefix + "/" + name;
    const size_t size = std::strtoul(std::string(h + 124, 12).c_str(), nullptr, 8);
    const char type = h[156];
    if (type == '0' || type == '\0') files[name] = tar.substr(pos + 512, size);
    pos += 512 + (size + 511) / 512 * 512;
  }
  return files;
}

// A listening unix socket in a temp folder, standing in for gsp-web's webhook socket.
class HostSocket {
 public:
  HostSocket() {
    char tmpl[] = "/tmp/gsp-dt-sock-XXXXXX";
    dir_ = mkdtemp(tmpl) ? tmpl : "";
    path_ = dir_ + "/webhook.sock";
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
    ok_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd_, 4) == 0;
  }
  ~HostSocket() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  bool ok() const { return ok_; }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
  int fd_ = -1;
  bool ok_ = false;
};

}  // namespace

class DockerIntegrationTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DockerIntegrationTest);
  CPPUNIT_TEST(negotiatesWithTheRealEngine);
  CPPUNIT_TEST(runsAServerContainerThroughItsLife);
  CPPUNIT_TEST(stopKillsAfterTheGracePeriod);
  CPPUNIT_TEST(cpuPercentFollowsTheCpuLimit);
  CPPUNIT_TEST(reportsTheEnginesRefusals);
  CPPUNIT_TEST(cleanupByLabelLeavesNothing);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    client_ = newClient();
    run_ = newRunId();
    removeAll(LabelFilter().equals(kSuiteLabel, kSuite), orphaned);  // leftovers of killed runs
  }

  void tearDown() override { removeAll(mine()); }

  void negotiatesWithTheRealEngine() {
    auto ping = client_->ping();
    CPPUNIT_ASSERT_MESSAGE(ping.message(), ping.isOk());
    auto version = client_->version();
    CPPUNIT_ASSERT_MESSAGE(version.status().message(), version.isOk());
    auto api = client_->negotiate();
    CPPUNIT_ASSERT_MESSAGE(api.status().message(), api.isOk());
    const gsp::docker::ApiVersion want = std::min(version->api.engine_max, gsp::docker::ApiVersion{1, 47});
    CPPUNIT_ASSERT_EQUAL(want.toString(), api->toString());
    auto exists = client_->imageExists(image());
    CPPUNIT_ASSERT_MESSAGE(exists.status().message(), exists.isOk());
    CPPUNIT_ASSERT_MESSAGE("no image " + image() + ": run tests/docker/build_test_image.sh", exists.value());
    auto missing = client_->imageExists("gsp-no-such-image:never");
    CPPUNIT_ASSERT(missing.isOk() && !missing.value());
  }

  // What the platform does with a server, on one container: network, volume,
  // webhook socket, published ports, logs, stats, backup, sleep, wake, delete.
  void runsAServerContainerThroughItsLife() {
    const auto test_started = std::chrono::system_clock::now();
    const std::string net = run_ + "-net";
    auto net_id = client_->createNetwork({net, false, labels("network"), ""});
    CPPUNIT_ASSERT_MESSAGE(net_id.status().message(), net_id.isOk());
    auto net_info = client_->inspectNetwork(net);
    CPPUNIT_ASSERT(net_info.isOk());
    CPPUNIT_ASSERT_EQUAL(net_id.value(), net_info->id);
    CPPUNIT_ASSERT(!net_info->internal);
    CPPUNIT_ASSERT_EQUAL(std::string("network"), net_info->labels.at("gsp.role"));
    auto volume = client_->createVolume({run_ + "-data", labels("volume")});
    CPPUNIT_ASSERT_MESSAGE(volume.status().message(), volume.isOk());

    HostSocket webhook;
    CPPUNIT_ASSERT(webhook.ok());
    ContainerSpec spec = baseSpec("game");
    spec.cmd = {"sh", "-c",
                "echo \"$GREETING from stdout\"; echo 'warning on stderr' >&2; "
                "echo saved > /data/world.txt; test -S /run/gsp/webhook.sock && echo 'socket mounted'; "
                "touch /rootfs-write 2>/dev/null || echo 'rootfs read-only'; "
                "trap 'echo saving world; exit 0' TERM; echo ready; while true; do sleep 0.1; done"};
    spec.env = {"GREETING=hello"};
    spec.network = net;
    spec.network_aliases = {"game"};
    spec.mounts = {{Mount::Type::kVolume, volume->name, "/data", false},
                   {Mount::Type::kBind, webhook.path(), "/run/gsp/webhook.sock", false}};
    spec.ports = {{7777, Protocol::kTcp, "127.0.0.1", 0}, {7777, Protocol::kUdp, "127.0.0.1", 0}};
    spec.restart = RestartPolicy::kUnlessStopped;
    spec.memory_bytes = 64 << 20;
    spec.nano_cpus = 500000000;
    spec.logs = JsonFileLogs{"1m", 2};
    spec.read_only_rootfs = true;
    auto created = client_->createContainer(spec);
    CPPUNIT_ASSERT_MESSAGE(created.status().message(), created.isOk());
    const std::string id = created->id;

    auto before = client_->inspectContainer(spec.name);
    CPPUNIT_ASSERT(before.isOk());
    CPPUNIT_ASSERT(before->state.status == ContainerStatus::kCreated);
    CPPUNIT_ASSERT_EQUAL(id, before->id);

    CPPUNIT_ASSERT(client_->startContainer(id).isOk());
    CPPUNIT_ASSERT(client_->startContainer(id).isOk());  // already running: fine
    auto running = client_->inspectContainer(id);
    CPPUNIT_ASSERT(running.isOk());
    CPPUNIT_ASSERT(running->state.status == ContainerStatus::kRunning);
    CPPUNIT_ASSERT(running->state.running);
    CPPUNIT_ASSERT(running->state.pid > 0);
    CPPUNIT_ASSERT(gsp::docker::parseRfc3339Nanos(running->state.started_at).has_value());
    CPPUNIT_ASSERT_EQUAL(std::string("game"), running->labels.at("gsp.role"));
    CPPUNIT_ASSERT_EQUAL(size_t(1), running->networks.size());
    CPPUNIT_ASSERT_EQUAL(net, running->networks[0]);
    CPPUNIT_ASSERT_EQUAL(size_t(2), running->published_ports.size());
    for (const auto& p : running->published_ports) {
      CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), p.host_ip);
      CPPUNIT_ASSERT(p.host_port > 0);
    }

    // Another container on the network finds it by its alias, as the proxy will.
    ContainerSpec peer = baseSpec("peer");
    peer.cmd = {"sh", "-c", "id -u; nslookup game >/dev/null && echo 'alias resolves'"};
    peer.network = net;
    peer.user = "65534:65534";
    auto peer_lines = runToCompletion(peer);
    CPPUNIT_ASSERT_MESSAGE(dump(peer_lines), hasLine(peer_lines, LogStream::kStdout, "65534"));
    CPPUNIT_ASSERT_MESSAGE(dump(peer_lines), hasLine(peer_lines, LogStream::kStdout, "alias resolves"));

    // Logs: both streams, demultiplexed, with times from this run.
    auto lines = waitForLine(id, "ready");
    CPPUNIT_ASSERT_MESSAGE(dump(lines), hasLine(lines, LogStream::kStdout, "hello from stdout"));
    CPPUNIT_ASSERT_MESSAGE(dump(lines), hasLine(lines, LogStream::kStderr, "warning on stderr"));
    CPPUNIT_ASSERT_MESSAGE(dump(lines), hasLine(lines, LogStream::kStdout, "socket mounted"));
    CPPUNIT_ASSERT_MESSAGE(dump(lines), hasLine(lines, LogStream::kStdout, "rootfs read-only"));
    CPPUNIT_ASSERT(!hasLine(lines, LogStream::kStdout, "warning on stderr"));
    const int64_t started_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   test_started.time_since_epoch()).count();
    for (const LogLine& l : lines) {
      CPPUNIT_ASSERT(l.unix_nanos > started_ns - 60'000'000'000LL);
      CPPUNIT_ASSERT(l.unix_nanos < started_ns + 600'000'000'000LL);
    }
    // stdout only. The engine's tail counts the lines of both streams before
    // it filters, and it copies stdout and stderr through separate pipes, so
    // the stderr warning may be stored after "ready": tail=2 holds "ready" either way.
    LogOptions tail;
    tail.include_stderr = false;
    tail.tail = 2;
    auto last = client_->containerLogs(id, tail);
    CPPUNIT_ASSERT(last.isOk());
    CPPUNIT_ASSERT_MESSAGE(dump(last.value()), last->size() == 1 || last->size() == 2);  // 4 lines were written
    CPPUNIT_ASSERT_EQUAL(std::string("ready"), last->back().text);
    LogOptions since;
    since.include_stderr = false;
    since.since_unix_nanos = last->back().unix_nanos;  // inclusive
    auto from_ready = client_->containerLogs(id, since);
    CPPUNIT_ASSERT(from_ready.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(1), from_ready->size());
    since.since_unix_nanos += 1;
    CPPUNIT_ASSERT(client_->containerLogs(id, since)->empty());

    // Stats: the memory limit and a real, cache-free usage.
    auto stats = client_->containerStats(id);
    CPPUNIT_ASSERT_MESSAGE(stats.status().message(), stats.isOk());
    CPPUNIT_ASSERT_EQUAL(uint64_t(64 << 20), stats->memory_limit_bytes);
    CPPUNIT_ASSERT(stats->memory_bytes > 0 && stats->memory_bytes < uint64_t(64 << 20));
    CPPUNIT_ASSERT(stats->cpu_percent >= 0.0 && stats->cpu_percent <= 100.0);
    CPPUNIT_ASSERT(stats->pids >= 1);

    // Backup: the data folder as tar, to memory and to a file.
    std::string tar;
    auto archived = client_->getArchive(id, "/data", [&tar](const char* d, size_t n) {
      tar.append(d, n);
      return true;
    });
    CPPUNIT_ASSERT_MESSAGE(archived.message(), archived.isOk());
    auto files = untar(tar);
    CPPUNIT_ASSERT_MESSAGE("archive has " + std::to_string(files.size()) + " files", files.count("data/world.txt"));
    CPPUNIT_ASSERT_EQUAL(std::string("saved\n"), files["data/world.txt"]);
    const std::string tar_file = "/tmp/" + run_ + ".tar";
    CPPUNIT_ASSERT(client_->getArchiveToFile(id, "/data", tar_file).isOk());
    struct stat st;
    CPPUNIT_ASSERT(::stat(tar_file.c_str(), &st) == 0 && static_cast<size_t>(st.st_size) == tar.size());
    ::unlink(tar_file.c_str());

    // Sleep: SIGTERM, the game saves and exits long before the grace period ends.
    const auto stop_started = Clock::now();
    auto stopped = client_->stopContainer(id, 10s);
    const long long stop_ms = msSince(stop_started);
    CPPUNIT_ASSERT_MESSAGE(stopped.message(), stopped.isOk());
    CPPUNIT_ASSERT_MESSAGE(std::to_string(stop_ms) + " ms", stop_ms < 5000);
    auto exited = client_->inspectContainer(id);
    CPPUNIT_ASSERT(exited->state.status == ContainerStatus::kExited);
    CPPUNIT_ASSERT_EQUAL(int64_t(0), exited->state.exit_code);
    CPPUNIT_ASSERT(hasLine(client_->containerLogs(id, LogOptions()).value(), LogStream::kStdout, "saving world"));
    CPPUNIT_ASSERT(client_->stopContainer(id, 10s).isOk());  // already stopped: fine
    // The stopped container's data can still be backed up.
    CPPUNIT_ASSERT(client_->getArchive(id, "/data", [](const char*, size_t) { return true; }).isOk());

    // Wake again: the data survived; then a hard kill.
    CPPUNIT_ASSERT(client_->startContainer(id).isOk());
    CPPUNIT_ASSERT(client_->inspectContainer(id)->state.running);
    CPPUNIT_ASSERT(client_->killContainer(id).isOk());
    auto killed = waitUntilStopped(id);
    CPPUNIT_ASSERT_EQUAL(int64_t(137), killed.state.exit_code);
    CPPUNIT_ASSERT(client_->killContainer(id).error().isConflict());  // not running

    // Delete: the container, then the network and the volume.
    CPPUNIT_ASSERT(client_->removeVolume(volume->name).error().isConflict());  // still in use
    CPPUNIT_ASSERT(client_->removeContainer(id, {true, true}).isOk());
    CPPUNIT_ASSERT(client_->inspectContainer(id).error().isNotFound());
    CPPUNIT_ASSERT(client_->removeVolume(volume->name).isOk());
    CPPUNIT_ASSERT(client_->removeNetwork(net).isOk());
    const LabelFilter mine = LabelFilter().equals("gsp.test.run", run_);
    CPPUNIT_ASSERT(client_->listContainers(mine)->empty());
    CPPUNIT_ASSERT(client_->listNetworks(mine)->empty());
    CPPUNIT_ASSERT(client_->listVolumes(mine)->empty());
  }

  void stopKillsAfterTheGracePeriod() {
    ContainerSpec spec = baseSpec("stubborn");
    spec.cmd = {"sh", "-c", "trap '' TERM; echo up; while true; do sleep 0.1; done"};
    auto created = client_->createContainer(spec);
    CPPUNIT_ASSERT_MESSAGE(created.status().message(), created.isOk());
    CPPUNIT_ASSERT(client_->startContainer(created->id).isOk());
    waitForLine(created->id, "up");
    const auto started = Clock::now();
    auto stopped = client_->stopContainer(created->id, 2s);
    const long long ms = msSince(started);
    CPPUNIT_ASSERT_MESSAGE(stopped.message(), stopped.isOk());
    CPPUNIT_ASSERT_MESSAGE(std::to_string(ms) + " ms", ms >= 1900 && ms < 10000);
    CPPUNIT_ASSERT_EQUAL(int64_t(137), client_->inspectContainer(created->id)->state.exit_code);
  }

  void cpuPercentFollowsTheCpuLimit() {
    ContainerSpec spec = baseSpec("busy");
    spec.cmd = {"sh", "-c", "while :; do :; done"};
    spec.nano_cpus = 500000000;  // half a CPU
    auto created = client_->createContainer(spec);
    CPPUNIT_ASSERT(created.isOk());
    CPPUNIT_ASSERT(client_->startContainer(created->id).isOk());
    std::this_thread::sleep_for(500ms);
    auto stats = client_->containerStats(created->id);
    CPPUNIT_ASSERT_MESSAGE(stats.status().message(), stats.isOk());
    printf("\n  busy loop limited to half a CPU: %.1f %% CPU, %llu bytes of memory\n", stats->cpu_percent,
           static_cast<unsigned long long>(stats->memory_bytes));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(stats->cpu_percent), stats->cpu_percent > 30.0 && stats->cpu_percent < 70.0);
    CPPUNIT_ASSERT(client_->removeContainer(created->id, {true, false}).isOk());
  }

  void reportsTheEnginesRefusals() {
    auto missing = client_->inspectContainer(run_ + "-nobody");
    CPPUNIT_ASSERT(missing.error().isNotFound());
    CPPUNIT_ASSERT(missing.status().code() == Status::Code::kNotFound);
    CPPUNIT_ASSERT_MESSAGE(missing.status().message(),
                           missing.error().engineMessage().find("No such container") != std::string::npos);

    ContainerSpec spec = baseSpec("twice");
    auto first = client_->createContainer(spec);
    CPPUNIT_ASSERT(first.isOk());
    auto again = client_->createContainer(spec);
    CPPUNIT_ASSERT(again.error().isConflict());
    CPPUNIT_ASSERT_MESSAGE(again.status().message(), again.status().message().find("already in use") != std::string::npos);

    ContainerSpec no_image = baseSpec("noimage");
    no_image.image = "gsp-no-such-image:never";
    auto r = client_->createContainer(no_image);
    CPPUNIT_ASSERT(r.error().isNotFound());
    CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.status().message().find("No such image") != std::string::npos);

    ContainerSpec bad_mount = baseSpec("badmount");
    bad_mount.mounts = {{Mount::Type::kBind, "/tmp/" + run_ + "-absent.sock", "/run/x.sock", false}};
    auto m = client_->createContainer(bad_mount);
    CPPUNIT_ASSERT_EQUAL(400, m.error().httpStatus());
    CPPUNIT_ASSERT(m.status().code() == Status::Code::kInvalid);

    CPPUNIT_ASSERT(client_->createNetwork({run_ + "-n", true, labels("network"), ""}).isOk());
    CPPUNIT_ASSERT(client_->inspectNetwork(run_ + "-n")->internal);
    CPPUNIT_ASSERT(client_->createNetwork({run_ + "-n", true, labels("network"), ""}).error().isConflict());
    CPPUNIT_ASSERT(client_->removeNetwork(run_ + "-nothing").error().isNotFound());
    // A subnet of our choosing comes back from inspect; an overlapping one is
    // refused with a message naming the overlap (DockerOrchestrator::makeNetwork
    // moves on to the next subnet on it).
    const std::string subnet = "10.254." + std::to_string(getpid() % 250) + ".16/28";
    CPPUNIT_ASSERT(client_->createNetwork({run_ + "-s", false, labels("network"), subnet}).isOk());
    auto with_subnet = client_->inspectNetwork(run_ + "-s");
    CPPUNIT_ASSERT(with_subnet.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(1), with_subnet->subnets.size());
    CPPUNIT_ASSERT_EQUAL(subnet, with_subnet->subnets[0]);
    auto overlapping = client_->createNetwork({run_ + "-o", false, labels("network"), subnet});
    CPPUNIT_ASSERT(!overlapping.isOk());
    CPPUNIT_ASSERT_MESSAGE(overlapping.error().engineMessage(),
                           overlapping.error().engineMessage().find("overlap") != std::string::npos);
    auto listed = client_->listNetworks(mine());
    CPPUNIT_ASSERT(listed.isOk());
    CPPUNIT_ASSERT(std::any_of(listed->begin(), listed->end(), [&](const NetworkInfo& n) {
      return n.subnets.size() == 1 && n.subnets[0] == subnet;
    }));
    CPPUNIT_ASSERT(client_->removeVolume(run_ + "-nothing").error().isNotFound());
    auto no_path = client_->getArchive(first->id, "/no/such/path",
                                       [](const char*, size_t) { return true; });
    CPPUNIT_ASSERT(no_path.error().isNotFound());
  }

  void cleanupByLabelLeavesNothing() {
    CPPUNIT_ASSERT(client_->createNetwork({run_ + "-a", false, labels("network"), ""}).isOk());
    CPPUNIT_ASSERT(client_->createVolume({run_ + "-a", labels("volume")}).isOk());
    for (const char* role : {"proxy", "game"}) {
      ContainerSpec spec = baseSpec(role);
      spec.cmd = {"sh", "-c", "while true; do sleep 1; done"};
      spec.network = run_ + "-a";
      auto c = client_->createContainer(spec);
      CPPUNIT_ASSERT(c.isOk());
      if (std::string(role) == "proxy") CPPUNIT_ASSERT(client_->startContainer(c->id).isOk());
    }
    CPPUNIT_ASSERT_EQUAL(size_t(2), client_->listContainers(mine())->size());
    CPPUNIT_ASSERT_EQUAL(size_t(1), client_->listContainers(mine(), /*include_stopped=*/false)->size());
    CPPUNIT_ASSERT_EQUAL(size_t(1), client_->listContainers(LabelFilter(mine()).equals("gsp.role", "game"))->size());
    CPPUNIT_ASSERT_EQUAL(size_t(1), client_->listNetworks(mine())->size());
    CPPUNIT_ASSERT_EQUAL(size_t(1), client_->listVolumes(mine())->size());
    removeAll(mine());
    CPPUNIT_ASSERT(client_->listContainers(mine())->empty());
    CPPUNIT_ASSERT(client_->listNetworks(mine())->empty());
    CPPUNIT_ASSERT(client_->listVolumes(mine())->empty());
  }

 private:
  std::map<std::string, std::string> labels(const std::string& role) const {
    return {{kSuiteLabel, kSuite}, {"gsp.test.run", run_}, {kPidLabel, std::to_string(getpid())},
            {"gsp.role", role}};
  }

  LabelFilter mine() const { return LabelFilter().equals("gsp.test.run", run_); }

  ContainerSpec baseSpec(const std::string& role) const {
    ContainerSpec s;
    s.name = run_ + "-" + role;
    s.image = image();
    s.labels = labels(role);
    s.cmd = {"sh", "-c", "true"};
    return s;
  }

  // Containers first: networks and volumes in use cannot go.
  using Labels = std::map<std::string, std::string>;
  void removeAll(const LabelFilter& filter, bool (*also)(const Labels&) = [](const Labels&) { return true; }) {
    if (auto cs = client_->listContainers(filter); cs.isOk()) {
      for (const auto& c : cs.value()) {
        if (also(c.labels)) client_->removeContainer(c.id, {true, true});
      }
    }
    if (auto ns = client_->listNetworks(filter); ns.isOk()) {
      for (const auto& n : ns.value()) {
        if (also(n.labels)) client_->removeNetwork(n.id);
      }
    }
    if (auto vs = client_->listVolumes(filter); vs.isOk()) {
      for (const auto& v : vs.value()) {
        if (also(v.labels)) client_->removeVolume(v.name, true);
      }
    }
  }

  std::vector<LogLine> waitForLine(const std::string& id, const std::string& text) {
    std::vector<LogLine> lines;
    for (auto deadline = Clock::now() + 15s; Clock::now() < deadline; std::this_thread::sleep_for(100ms)) {
      auto r = client_->containerLogs(id, LogOptions());
      CPPUNIT_ASSERT_MESSAGE(r.status().message(), r.isOk());
      lines = r.value();
      if (hasLine(lines, LogStream::kStdout, text)) return lines;
    }
    CPPUNIT_FAIL("no line '" + text + "' within 15 s: " + dump(lines));
    return lines;
  }

  ContainerInfo waitUntilStopped(const std::string& id) {
    for (auto deadline = Clock::now() + 15s; Clock::now() < deadline; std::this_thread::sleep_for(100ms)) {
      auto c = client_->inspectContainer(id);
      CPPUNIT_ASSERT(c.isOk());
      if (!c->state.running && c->state.status == ContainerStatus::kExited) return c.value();
    }
    CPPUNIT_FAIL("container " + id + " still running after 15 s");
    return ContainerInfo();
  }

  std::vector<LogLine> runToCompletion(const ContainerSpec& spec) {
    auto c = client_->createContainer(spec);
    CPPUNIT_ASSERT_MESSAGE(c.status().message(), c.isOk());
    CPPUNIT_ASSERT(client_->startContainer(c->id).isOk());
    waitUntilStopped(c->id);
    auto lines = client_->containerLogs(c->id, LogOptions());
    CPPUNIT_ASSERT(lines.isOk());
    CPPUNIT_ASSERT(client_->removeContainer(c->id).isOk());
    return lines.value();
  }

  static std::string dump(const std::vector<LogLine>& lines) {
    std::string out;
    for (const LogLine& l : lines) out += std::string(gsp::docker::logStreamName(l.stream)) + ": " + l.text + " | ";
    return out;
  }

  std::unique_ptr<DockerClient> client_;
  std::string run_;
};
CPPUNIT_TEST_SUITE_REGISTRATION(DockerIntegrationTest);
