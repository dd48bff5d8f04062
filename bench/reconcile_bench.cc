// Benchmark (not a test): gsp-lifecycle passes with reconcile and usage
// sampling over the servers bench/lifecycle-bench.sh seeded, against a fake
// Docker engine that lists one game and one proxy container per server (the
// RUNNING ones' games running) and a fake cgroup tree for those games. The
// pass runs in this process (the agent's socket hop is one round trip).
// Prints, per pass: wall time, SQL statements, engine calls, samples stored.
//   reconcile_bench --config=PATH [--rounds=N]
#include <cppconn/exception.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/log.h"
#include "db/database.h"
#include "db/job_repository.h"
#include "docker/fake_docker_server.h"
#include "lifecycle/lifecycle_pass.h"
#include "orchestration/docker_orchestrator.h"
#include "orchestration/reconciler.h"

namespace {

using namespace gsp;
using docker::testing::FakeDockerServer;

struct Seeded {
  int64_t id;
  bool running;
};

// The pass's channel to "the agent": reconcile in-process, acts queued as jobs.
class BenchOperations : public orchestration::ServerOperations {
 public:
  BenchOperations(const Config& config, db::Database& db, docker::DockerClient& docker,
                  orchestration::UsageMeter& usage)
      : config_(config), db_(db), docker_(docker), usage_(usage) {}
  Status provision(int64_t id, const orchestration::Asker& by) override { return queue(id, domain::JobKind::kCreate, by); }
  Status wake(int64_t id, const orchestration::Asker& by) override { return queue(id, domain::JobKind::kWake, by); }
  Status hibernate(int64_t id, const orchestration::Asker& by) override {
    return queue(id, domain::JobKind::kHibernate, by);
  }
  Status destroy(int64_t id, const orchestration::Asker& by) override { return queue(id, domain::JobKind::kDelete, by); }
  Status backUp(int64_t, int64_t, const orchestration::Asker&) override { return Status::unavailable("bench"); }
  Status restore(int64_t, int64_t, const orchestration::Asker&) override { return Status::unavailable("bench"); }
  Status deleteBackup(int64_t, int64_t, const orchestration::Asker&) override { return Status::unavailable("bench"); }
  Result<orchestration::ServerLogs> logs(int64_t, int, int64_t) override { return Status::unavailable("bench"); }
  Result<orchestration::ServerStats> stats(int64_t) override { return Status::unavailable("bench"); }
  Result<orchestration::ReconcileReport> reconcile(int64_t at) override {
    return orchestration::Reconciler(config_, db_, docker_, usage_, sampler_).run(at);
  }

 private:
  Status queue(int64_t id, domain::JobKind kind, const orchestration::Asker& by) {
    Result<int64_t> job = db::JobRepository(db_).enqueue(id, kind, by.cause, by.user_id);
    return job.isOk() ? Status::ok() : job.status();
  }
  const Config& config_;
  db::Database& db_;
  docker::DockerClient& docker_;
  orchestration::UsageMeter& usage_;
  orchestration::StatsSampler sampler_;
};

std::string hexId(int64_t server, char role) {
  char buf[65];
  snprintf(buf, sizeof buf, "%c%063lld", role == 'g' ? 'a' : 'b', static_cast<long long>(server));
  return buf;
}

std::string labels(const std::string& prefix, int64_t id, const char* role) {
  return "{\"gsp.managed\":\"true\",\"gsp.installation\":\"" + prefix + "\",\"gsp.server_id\":\"" +
         std::to_string(id) + "\",\"gsp.role\":\"" + role + "\"}";
}

// GET /containers/json as an engine with these servers' containers answers it.
std::string containerList(const std::vector<Seeded>& servers, const std::string& prefix, int64_t created) {
  std::string out = "[";
  for (const Seeded& s : servers) {
    for (const char* role : {"game", "proxy"}) {
      bool running = role[0] == 'p' || s.running;
      if (out.size() > 1) out += ",";
      out += "{\"Id\":\"" + hexId(s.id, role[0]) + "\",\"Names\":[\"/" + prefix + "-" + std::to_string(s.id) + "-" +
             role + "\"],\"Image\":\"gsp-demo-game:0.1.0\",\"Created\":" + std::to_string(created) +
             ",\"State\":\"" + (running ? "running" : "exited") + "\",\"Status\":\"" +
             (running ? "Up 2 hours" : "Exited (0) 1 hour ago") + "\",\"Labels\":" + labels(prefix, s.id, role) + "}";
    }
  }
  return out + "]";
}

std::string networkList(const std::vector<Seeded>& servers, const std::string& prefix) {
  std::string out = "[";
  for (const Seeded& s : servers) {
    if (out.size() > 1) out += ",";
    out += "{\"Id\":\"" + hexId(s.id, 'n') + "\",\"Name\":\"" + prefix + "-" + std::to_string(s.id) +
           "-net\",\"Driver\":\"bridge\",\"Created\":\"2026-11-30T08:00:00Z\",\"Labels\":" +
           labels(prefix, s.id, "network") + "}";
  }
  return out + "]";
}

std::string volumeList(const std::vector<Seeded>& servers, const std::string& prefix) {
  std::string out = "{\"Volumes\":[";
  bool first = true;
  for (const Seeded& s : servers) {
    if (!first) out += ",";
    first = false;
    out += "{\"Name\":\"" + prefix + "-" + std::to_string(s.id) + "-data\",\"Driver\":\"local\",\"Mountpoint\":\"/x\","
           "\"CreatedAt\":\"2026-11-30T08:00:00Z\",\"Labels\":" + labels(prefix, s.id, "data") + "}";
  }
  return out + "],\"Warnings\":[]}";
}

// cgroup v2 files for each running game, as the engine's cgroup driver lays them out.
void writeCgroups(const std::string& root, const std::vector<Seeded>& servers) {
  for (const Seeded& s : servers) {
    if (!s.running) continue;
    std::string dir = root + "/docker/" + hexId(s.id, 'g');
    std::filesystem::create_directories(dir);
    std::ofstream(dir + "/cpu.stat") << "usage_usec " << 1000000 + s.id << "\nuser_usec 1\nsystem_usec 1\n";
    std::ofstream(dir + "/memory.current") << (64 << 20) << "\n";
    std::ofstream(dir + "/memory.stat") << "anon 1\nfile 1\ninactive_file 4096\n";
  }
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  int rounds = 5;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--rounds=", 0) == 0) rounds = std::stoi(a.substr(9));
    else args.push_back(argv[i]);
  }
  std::vector<std::string> positional;
  ConfigLoad load = loadConfig(static_cast<int>(args.size()), args.data(), envp, &positional, ConfigFor::kAll);
  if (load.outcome != ConfigLoad::Outcome::kRun) {
    fprintf(stderr, "reconcile_bench: %s\n", load.text.c_str());
    return 2;
  }
  Config config = load.config;
  log::setLevel(log::Level::kWarn);
  try {
    db::Database db(config.database);
    std::vector<Seeded> servers;
    auto rs = db.sql("SELECT id, state = 'RUNNING' FROM servers WHERE deleted_at IS NULL AND ? = 0").arg(0).rows();
    while (rs->next()) servers.push_back({rs->getInt64(1), rs->getBoolean(2)});
    rs.reset();
    const std::string& prefix = config.servers_object_prefix;
    const std::string containers = containerList(servers, prefix, time(nullptr) - 7200);
    const std::string networks = networkList(servers, prefix);
    const std::string volumes = volumeList(servers, prefix);
    FakeDockerServer engine([&](const FakeDockerServer::Request& r) {
      if (r.target.rfind("/version", 0) == 0) return FakeDockerServer::version("1.41", "1.12");
      if (r.target.find("/containers/json") != std::string::npos) return FakeDockerServer::json(200, containers);
      if (r.target.find("/networks") != std::string::npos) return FakeDockerServer::json(200, networks);
      if (r.target.find("/volumes") != std::string::npos) return FakeDockerServer::json(200, volumes);
      return FakeDockerServer::engineError(404, "not in this benchmark: " + r.target);
    });
    char cgroup_root[] = "/tmp/gsp-bench-cgroup-XXXXXX";
    if (!mkdtemp(cgroup_root)) return 1;
    writeCgroups(cgroup_root, servers);
    config.docker_socket = engine.socketPath();
    orchestration::UsageMeter usage(cgroup_root, std::chrono::milliseconds(0));
    std::unique_ptr<docker::DockerClient> docker = orchestration::connectDocker(config);
    BenchOperations ops(config, db, *docker, usage);
    lifecycle::LifecyclePass pass(config, db, ops);
    int running = 0;
    for (const Seeded& s : servers) running += s.running;
    printf("  %zu servers, %d running; fake engine listing %zu containers (%zu KiB)\n", servers.size(), running,
           2 * servers.size(), containers.size() / 1024);
    for (int round = 1; round <= rounds; ++round) {
      size_t calls_before = engine.requests().size();
      auto t0 = std::chrono::steady_clock::now();
      // A minute apart, like the timer's passes: each stores one sample per running server.
      lifecycle::PassReport r = pass.run(time(nullptr) + round * 60);
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      printf("  pass %d: %7.1f ms  %4d statements  %3zu engine calls  %5d sampled  %d repairs\n", round, ms,
             r.round_trips, engine.requests().size() - calls_before, r.reconcile.sampled, r.reconcile.repairs);
    }
    std::filesystem::remove_all(cgroup_root);
    return 0;
  } catch (const sql::SQLException& e) {
    fprintf(stderr, "reconcile_bench: database error %d: %s\n", e.getErrorCode(), e.what());
    return 1;
  }
}
