#include "orchestration/reconciler.h"

#include <ctime>
#include <map>
#include <set>

#include "core/log.h"
#include "db/job_repository.h"
#include "db/stats_repository.h"
#include "domain/reconcile.h"

namespace gsp::orchestration {

namespace {

using domain::ServerState;

struct Row {
  domain::ServerFacts facts;
  bool job_active = false;
  // Its objects were recorded once (setDockerObjects). A row that never got
  // that far was never given containers: nothing to compare, nothing to repair.
  bool provisioned = false;
};

struct Seen {
  domain::SeenContainers containers;
  std::string game_id;  // when it runs
};

// The server id of an object carrying every label of this installation; 0 otherwise.
int64_t platformServerId(const std::map<std::string, std::string>& labels, const std::string& installation) {
  auto managed = labels.find("gsp.managed");
  auto inst = labels.find("gsp.installation");
  auto id = labels.find("gsp.server_id");
  if (managed == labels.end() || managed->second != "true" || inst == labels.end() || inst->second != installation ||
      id == labels.end() || id->second.empty() || id->second.size() > 18 ||
      id->second.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  return std::stoll(id->second);
}

}  // namespace

Reconciler::Reconciler(const Config& config, db::Database& db, docker::DockerClient& docker, UsageMeter& usage,
                       StatsSampler& stats)
    : config_(config), db_(db), docker_(docker), usage_(usage), stats_(stats) {}

Result<ReconcileReport> Reconciler::run(int64_t sample_at) {
  ReconcileReport report;
  const std::string& installation = config_.servers_object_prefix;
  // The rows first, then the listing: an object made after the rows were read
  // is younger than the grace period, so it is never taken for an orphan.
  std::map<int64_t, Row> rows;
  auto rs = db_.sql("SELECT s.id, s.state, COALESCE(FLOOR(UNIX_TIMESTAMP(s.state_changed_at)), 0), "
                    "g.start_timeout_seconds, j.id IS NOT NULL, s.network_name IS NOT NULL FROM servers s "
                    "JOIN game_images g ON g.id = s.game_image_id LEFT JOIN jobs j ON j.active_server_id = s.id "
                    "WHERE s.deleted_at IS NULL")
                .rows();
  while (rs->next()) {
    Row r;
    r.facts.state = domain::parseState(rs->getString(2)).value_or(ServerState::kError);
    r.facts.state_since = rs->getInt64(3);
    r.facts.start_timeout_seconds = rs->getInt(4);
    r.job_active = rs->getBoolean(5);
    r.provisioned = rs->getBoolean(6);
    rows[rs->getInt64(1)] = r;
  }
  rs.reset();
  report.servers = static_cast<int>(rows.size());

  docker::LabelFilter mine = docker::LabelFilter().equals("gsp.installation", installation);
  ++report.docker_calls;
  docker::DockerResult<std::vector<docker::ContainerSummary>> containers = docker_.listContainers(mine, true);
  if (!containers.isOk()) return Status::unavailable("The Docker engine did not list containers: " + containers.error().message());

  const int64_t now = time(nullptr);
  const int64_t grace = config_.servers_orphan_grace_seconds;
  auto orphan = [&](int64_t server_id, int64_t created) {
    return server_id > 0 && !rows.count(server_id) && created > 0 && now - created > grace;
  };
  std::map<int64_t, Seen> seen;
  for (const docker::ContainerSummary& c : containers.value()) {
    int64_t id = platformServerId(c.labels, installation);
    if (orphan(id, c.created_unix)) {
      ++report.docker_calls;
      docker::DockerStatus removed = docker_.removeContainer(c.id, {true, false});
      log::info() << "orphan container " << (c.names.empty() ? c.id : c.names[0]) << " of server " << id
                  << (removed.isOk() ? ": removed" : ": not removed: " + removed.message());
      if (removed.isOk()) ++report.orphans_removed;
      continue;
    }
    if (!rows.count(id)) continue;
    const std::string role = c.labels.count("gsp.role") ? c.labels.at("gsp.role") : "";
    const bool running = c.state == docker::ContainerStatus::kRunning;
    Seen& s = seen[id];
    if (role == "game") {
      s.containers.game_exists = true;
      s.containers.game_running = running;
      if (running) s.game_id = c.id;
    } else if (role == "proxy") {
      s.containers.proxy_exists = true;
      s.containers.proxy_running = running || c.state == docker::ContainerStatus::kRestarting;
    }
  }

  // Repairs: a job each; the job inspects again before it acts.
  db::JobRepository jobs(db_);
  for (const auto& [id, row] : rows) {
    if (row.job_active || !row.provisioned) continue;
    std::optional<domain::RepairNeed> need = domain::repairNeeded(row.facts, seen[id].containers, now);
    if (!need) continue;
    Result<int64_t> queued = jobs.enqueue(id, need->kind, "reconcile: " + need->cause);
    if (queued.isOk()) ++report.repairs;
    log::info() << "server " << id << ": " << need->cause
                << (queued.isOk() ? "; repair queued" : "; not queued: " + queued.status().message());
  }

  // Orphan networks and volumes (their containers went above).
  ++report.docker_calls;
  docker::DockerResult<std::vector<docker::NetworkInfo>> networks = docker_.listNetworks(mine);
  if (networks.isOk()) {
    for (const docker::NetworkInfo& n : networks.value()) {
      if (!orphan(platformServerId(n.labels, installation), n.created_unix)) continue;
      ++report.docker_calls;
      if (docker_.removeNetwork(n.id).isOk()) ++report.orphans_removed;
      log::info() << "orphan network " << n.name << " removed";
    }
  }
  ++report.docker_calls;
  docker::DockerResult<std::vector<docker::VolumeInfo>> volumes = docker_.listVolumes(mine);
  if (volumes.isOk()) {
    for (const docker::VolumeInfo& v : volumes.value()) {
      if (!orphan(platformServerId(v.labels, installation), v.created_unix)) continue;
      ++report.docker_calls;
      if (docker_.removeVolume(v.name, true).isOk()) ++report.orphans_removed;
      log::info() << "orphan volume " << v.name << " removed";
    }
  }

  // A sample for every game that runs while its server is billed.
  std::vector<std::string> running_games;
  std::map<std::string, int64_t> server_of;
  for (const auto& [id, s] : seen) {
    if (s.game_id.empty() || !domain::isBilled(rows[id].facts.state)) continue;
    running_games.push_back(s.game_id);
    server_of[s.game_id] = id;
  }
  std::map<std::string, ServerStats> usage = usage_.measure(running_games);
  std::vector<db::UsageSample> samples;
  for (const std::string& game : running_games) {
    auto u = usage.find(game);
    ServerStats stats;
    if (u != usage.end()) {
      stats = u->second;
    } else {
      // No cgroup to read here (another layout, a remote engine): ask the engine.
      ++report.docker_calls;
      Result<ServerStats> asked = stats_.sample(docker_, game);
      if (!asked.isOk()) continue;
      stats = asked.value();
    }
    samples.push_back({server_of[game], stats.cpu_percent, stats.memory_bytes});
  }
  db::StatsRepository(db_).addSamples(sample_at, samples);
  report.sampled = static_cast<int>(samples.size());
  return report;
}

}  // namespace gsp::orchestration
