#include "orchestration/docker_orchestrator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "backup/archive_encoder.h"
#include "backup/backup_targets.h"
#include "core/log.h"
#include "core/subnet_pool.h"
#include "db/backup_repository.h"
#include "db/billing_repository.h"
#include "db/catalog_repository.h"
#include "docker/curl_unix_transport.h"
#include "docker/log_stream.h"
#include "domain/backup_file_name.h"
#include "domain/reconcile.h"
#include "orchestration/reconciler.h"
#include "domain/server_state.h"

namespace gsp::orchestration {

namespace {

using domain::ServerState;

// Inside the proxy container: where the folder of nginx's internal listener is
// mounted. The folder, not the socket file: nginx makes a new socket file each
// time it starts, and a file mount would keep pointing at the old one.
const char kProxyWebhookDir[] = "/run/gsp-webhook";
// Where the proxy image has its program (proxy/docker/Dockerfile.proxy).
const char kProxyBinary[] = "/usr/bin/gsp-proxy";
// The proxy runs one event loop per worker thread and a few helpers.
const int64_t kProxyPidsLimit = 64;

// The engine not answering (down, restarting, overloaded) is no fault of the
// server's, so it never puts one in ERROR: a wake goes back to sleep (the next
// player wakes it again), a sleep or a delete keeps its passing state and the
// reconcile finishes it once the engine answers (docs/design.md, "Reconcile").
bool engineAway(const Status& s) { return s.code() == Status::Code::kUnavailable; }

std::string dirOf(const std::string& path) { return path.substr(0, path.rfind('/')); }
std::string baseOf(const std::string& path) { return path.substr(path.rfind('/') + 1); }

std::vector<std::string> envFromJson(const std::string& json_text) {
  std::vector<std::string> env;
  nlohmann::json obj = nlohmann::json::parse(json_text, nullptr, false);
  if (!obj.is_object()) return env;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it.value().is_string()) env.push_back(it.key() + "=" + it.value().get<std::string>());
    else env.push_back(it.key() + "=" + it.value().dump());
  }
  return env;
}

// gsp-proxy's --port list: "tcp:7000,udp:7000" (public port = game port inside the container).
std::string proxyPortList(const std::vector<db::ServerPort>& ports) {
  std::string out;
  for (const db::ServerPort& p : ports) out += (out.empty() ? "" : ",") + p.protocol + ":" + std::to_string(p.internal_port);
  return out;
}

// Seconds since the epoch of an engine time; 0 for "never" or garbage.
int64_t unixOf(const std::string& rfc3339) {
  std::optional<int64_t> nanos = docker::parseRfc3339Nanos(rfc3339);
  return nanos && *nanos > 0 ? *nanos / 1000000000 : 0;
}

docker::Protocol protocolOf(const std::string& name) {
  return name == "udp" ? docker::Protocol::kUdp : docker::Protocol::kTcp;
}

}  // namespace

std::unique_ptr<docker::DockerClient> connectDocker(const Config& config) {
  docker::CurlUnixTransportOptions options;
  options.socket_path = config.docker_socket;
  options.default_timeout = std::chrono::seconds(config.docker_timeout_seconds);
  return std::make_unique<docker::DockerClient>(std::make_unique<docker::CurlUnixTransport>(options));
}

DockerOrchestrator::DockerOrchestrator(const Config& config, db::Database& db,
                                       std::unique_ptr<docker::DockerClient> docker, StatsSampler& stats)
    : config_(config), db_(db), docker_(std::move(docker)), stats_(stats) {}

std::string DockerOrchestrator::objectName(int64_t server_id, const std::string& role) const {
  return config_.servers_object_prefix + "-" + std::to_string(server_id) + "-" + role;
}

std::map<std::string, std::string> DockerOrchestrator::labels(int64_t server_id, const std::string& role) const {
  return {{"gsp.managed", "true"},
          {"gsp.installation", config_.servers_object_prefix},
          {"gsp.server_id", std::to_string(server_id)},
          {"gsp.role", role}};
}

std::string DockerOrchestrator::explain(const std::string& doing, const docker::DockerError& error) {
  switch (error.kind()) {
    case docker::ErrorKind::kUnreachable:
    case docker::ErrorKind::kTimeout:
      return "The container engine is not answering, so the server could not " + doing +
             ". Nothing was lost; please try again in a minute.";
    default:
      return "The server could not " + doing + ": " +
             (error.engineMessage().empty() ? error.message() : error.engineMessage());
  }
}

Status DockerOrchestrator::removeObjects(int64_t server_id) {
  Status first;
  auto note = [&first](const docker::DockerStatus& s) {
    if (!s.isOk() && !s.error().isNotFound() && first.isOk()) first = s;
  };
  note(docker_->removeContainer(objectName(server_id, "proxy"), {true, false}));
  note(docker_->removeContainer(objectName(server_id, "game"), {true, false}));
  note(docker_->removeContainer(objectName(server_id, "game-restore"), {true, false}));
  note(docker_->removeNetwork(objectName(server_id, "net")));
  note(docker_->removeVolume(objectName(server_id, "data"), true));
  // A restore leaves the data in a volume of another name: every volume labelled for the server.
  docker::LabelFilter mine;
  mine.equals("gsp.installation", config_.servers_object_prefix).equals("gsp.server_id", std::to_string(server_id));
  docker::DockerResult<std::vector<docker::VolumeInfo>> volumes = docker_->listVolumes(mine);
  if (volumes.isOk()) {
    for (const docker::VolumeInfo& v : volumes.value()) note(docker_->removeVolume(v.name, true));
  } else {
    note(volumes.error());
  }
  return first;
}

Status DockerOrchestrator::create(int64_t server_id, const ProgressFn& progress) {
  db::ServerRepository servers(db_);
  std::optional<db::ServerRecord> s = servers.find(server_id);
  if (!s || s->state != ServerState::kCreating) return Status::conflict("The server is not being created.");
  std::optional<db::GameImage> game = db::CatalogRepository(db_).find(s->game_image_id);
  if (!game) return Status::internal("The server's game is missing from the catalog.");

  // Undoes everything on failure: no orphans, ports freed, a clear message.
  auto fail = [&](const std::string& message) -> Status {
    Status cleanup = removeObjects(server_id);
    if (!cleanup.isOk()) log::error() << "server " << server_id << ": cleanup after a failed creation: " << cleanup.message();
    servers.markDeleted(server_id, "creation failed: " + message);
    log::warn() << "server " << server_id << ": creation failed: " << message;
    return Status::unavailable(message);
  };

  // The proxy's image is built on this host; the game's is pulled when missing.
  docker::DockerResult<bool> proxy_image = docker_->imageExists(config_.servers_proxy_image);
  if (!proxy_image.isOk()) return fail(explain("be created", proxy_image.error()));
  if (!proxy_image.value())
    return fail("The proxy image " + config_.servers_proxy_image +
                " is missing on this host, so no server was created. Please contact support.");
  Status pulled = ensureImage(game->docker_image, progress);
  if (!pulled.isOk()) return fail(pulled.message());

  // Something outside the platform may hold a public port: then other ports, a few times.
  Status made;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    // What an interrupted earlier run (or the previous attempt) made goes first.
    Status cleared = removeObjects(server_id);
    if (!cleared.isOk()) return fail(cleared.message());
    progress("Creating the containers", attempt - 1, 3);
    made = makeObjects(*s, *game);
    if (made.code() != Status::Code::kConflict) break;
    log::warn() << "server " << server_id << ": " << made.message() << "; trying other ports";
    Status moved = servers.reassignPorts(server_id, game->ports, config_.servers_port_min, config_.servers_port_max);
    if (!moved.isOk()) return fail(moved.message());
    s = servers.find(server_id);
    if (!s || s->state != ServerState::kCreating) return Status::conflict("The server changed while it was being created.");
  }
  if (!made.isOk()) return fail(made.message());
  if (!servers.transition(server_id, ServerState::kCreating, ServerState::kSleeping,
                          "ready: the game sleeps until a player connects"))
    return fail("the server changed while it was being created");
  return Status::ok();
}

Status DockerOrchestrator::pullCatalogImage(int game_id) {
  std::optional<db::GameImage> game = db::CatalogRepository(db_).find(game_id);
  if (!game) return Status::notFound("No such game in the catalog.");
  return ensureImage(game->docker_image, [](const std::string&, int64_t, int64_t) {});
}

Status DockerOrchestrator::ensureImage(const std::string& image, const ProgressFn& progress) {
  docker::DockerResult<bool> exists = docker_->imageExists(image);
  if (!exists.isOk()) return Status::unavailable(explain("be created", exists.error()));
  if (exists.value()) return Status::ok();
  log::info() << "pulling " << image;
  // The page needs a figure now and then, not one per progress line.
  auto last = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  docker::DockerStatus pulled = docker_->pullImage(image, [&](const docker::PullProgress& p) {
    auto now = std::chrono::steady_clock::now();
    if (now - last < std::chrono::milliseconds(500)) return;
    last = now;
    progress("Downloading the game", p.downloaded(), p.total());
  });
  if (!pulled.isOk()) {
    const docker::DockerError& e = pulled.error();
    std::string why = e.engineMessage().empty() ? e.message() : e.engineMessage();
    log::warn() << "pulling " << image << " failed: " << why;
    return Status::unavailable("The game could not be downloaded (" + why + "), so no server was created. "
                               "Please try again later or contact support.");
  }
  return Status::ok();
}

Status DockerOrchestrator::makeNetwork(int64_t server_id, const std::string& doing) {
  const std::optional<Ipv4Block> block = parseIpv4Block(config_.servers_network_pool);
  if (!block) return Status::internal("servers.network-pool is not an IPv4 block.");  // config checks it
  const SubnetPool pool(*block, config_.servers_network_prefix);
  // Every network on the engine counts, other installations' and the operator's too.
  docker::DockerResult<std::vector<docker::NetworkInfo>> all = docker_->listNetworks(docker::LabelFilter());
  if (!all.isOk()) return Status::unavailable(explain(doing, all.error()));
  std::vector<Ipv4Block> taken;
  for (const docker::NetworkInfo& n : all.value()) {
    for (const std::string& subnet : n.subnets) {
      if (std::optional<Ipv4Block> b = parseIpv4Block(subnet)) taken.push_back(*b);
    }
  }
  docker::NetworkSpec net;
  net.name = objectName(server_id, "net");
  net.labels = labels(server_id, "network");
  // Starting at the server's own place in the pool, concurrent creates seldom
  // pick the same subnet; when they do, the engine refuses the second one.
  const uint32_t count = pool.count();
  int refused = 0;
  for (uint32_t i = 0; i < count; i++) {
    const Ipv4Block candidate = pool.at(static_cast<uint32_t>((uint64_t(server_id) + i) % count));
    if (std::any_of(taken.begin(), taken.end(), [&](const Ipv4Block& t) { return t.overlaps(candidate); })) continue;
    net.subnet = candidate.str();
    docker::DockerResult<std::string> made = docker_->createNetwork(net);
    if (made.isOk()) return Status::ok();
    const docker::DockerError& e = made.error();
    const std::string said = e.engineMessage().empty() ? e.message() : e.engineMessage();
    if (said.find("overlap") == std::string::npos || ++refused == 8) return Status::unavailable(explain(doing, e));
    taken.push_back(candidate);
  }
  log::error() << "server " << server_id << ": every /" << config_.servers_network_prefix << " of servers.network-pool "
               << block->str() << " is taken; widen it (or shorten servers.network-prefix)";
  return Status::unavailable("The server could not " + doing +
                             ": this host has no private network address left for another server. "
                             "The operator must widen servers.network-pool; nothing was lost.");
}

Status DockerOrchestrator::makeObjects(const db::ServerRecord& s, const db::GameImage& game) {
  const int64_t server_id = s.id;
  Status net = makeNetwork(server_id, "be created");
  if (!net.isOk()) return net;

  docker::VolumeSpec volume;
  volume.name = objectName(server_id, "data");
  volume.labels = labels(server_id, "data");
  docker::DockerResult<docker::VolumeInfo> made_volume = docker_->createVolume(volume);
  if (!made_volume.isOk()) return Status::unavailable(explain("be created", made_volume.error()));

  docker::DockerResult<docker::CreatedContainer> game_container = createGameContainer(s, game);
  if (!game_container.isOk()) return Status::unavailable(explain("be created", game_container.error()));
  docker::DockerResult<std::string> proxy_container = createProxyContainer(s, game);
  if (!proxy_container.isOk()) return Status::unavailable(explain("be created", proxy_container.error()));
  Status started = startProxy(proxy_container.value());
  if (!started.isOk()) return started;
  db::ServerRepository(db_).setDockerObjects(server_id, objectName(server_id, "net"), volume.name,
                                             proxy_container.value(), game_container->id);
  return Status::ok();
}

docker::DockerResult<docker::CreatedContainer> DockerOrchestrator::createGameContainer(const db::ServerRecord& s,
                                                                                     const db::GameImage& game,
                                                                                     const std::string& name) {
  docker::ContainerSpec spec;
  spec.name = name.empty() ? objectName(s.id, "game") : name;
  spec.image = game.docker_image;
  spec.env = envFromJson(game.default_env);
  spec.labels = labels(s.id, "game");
  spec.network = objectName(s.id, "net");
  spec.network_aliases = {"game"};
  // After a restore the data lives in the restored volume (the row names it).
  const std::string volume = s.volume_name.empty() ? objectName(s.id, "data") : s.volume_name;
  spec.mounts.push_back({docker::Mount::Type::kVolume, volume, game.data_path, false});
  spec.restart = docker::RestartPolicy::kNo;
  spec.memory_bytes = static_cast<int64_t>(game.min_ram_mb) << 20;
  spec.memory_swap_bytes = spec.memory_bytes;  // no swap: a game past its memory is stopped, not slowed
  spec.nano_cpus = static_cast<int64_t>(game.min_cpu_millis) * 1000000;
  spec.logs = docker::JsonFileLogs{};
  spec.cap_drop = {"ALL"};
  spec.cap_add = game.cap_add;
  spec.no_new_privileges = true;
  spec.pids_limit = game.pids_limit;
  spec.ulimits = {{"nofile", game.nofile_limit, game.nofile_limit}};
  return docker_->createContainer(spec);
}

docker::DockerResult<std::string> DockerOrchestrator::createProxyContainer(const db::ServerRecord& s,
                                                                         const db::GameImage& game) {
  const int64_t server_id = s.id;
  const std::string socket = std::string(kProxyWebhookDir) + "/" + baseOf(config_.servers_webhook_socket);
  docker::ContainerSpec proxy;
  proxy.name = objectName(server_id, "proxy");
  proxy.image = config_.servers_proxy_image;
  proxy.labels = labels(server_id, "proxy");
  proxy.network = objectName(server_id, "net");
  proxy.env = {"GSP_PROXY_PORT=" + proxyPortList(s.ports),
               "GSP_PROXY_UPSTREAM_HOST=game",
               std::string("GSP_PROXY_WAKE_URL=unix:") + socket + ":/api/webhook/wake",
               std::string("GSP_PROXY_ACTIVITY_URL=unix:") + socket + ":/api/webhook/activity",
               "GSP_PROXY_SERVER_ID=" + std::to_string(server_id),
               "GSP_PROXY_SECRET=" + s.webhook_secret,
               "GSP_PROXY_ACTIVITY_INTERVAL=30s",
               // Probing only happens while a game wakes: often, so players wait less.
               "GSP_PROXY_PROBE_INTERVAL=100ms",
               // A quarter of its memory for held clients: a flood of them cannot get it killed.
               "GSP_PROXY_HOLD_BUDGET_BYTES=" + std::to_string((int64_t(config_.servers_proxy_memory_mb) << 20) / 4)};
  if (game.minecraft_aware) proxy.env.push_back("GSP_PROXY_MINECRAFT=true");
  // The game's server-browser queries are answered while it sleeps, under the server's name.
  if (!game.query_protocol.empty() && game.query_port > 0) {
    proxy.env.push_back("GSP_PROXY_QUERY=" + game.query_protocol + ":" + std::to_string(game.query_port));
    proxy.env.push_back("GSP_PROXY_SERVER_NAME=" + s.name);
    proxy.env.push_back("GSP_PROXY_QUERY_GAME=" + game.friendly_name);
    proxy.env.push_back("GSP_PROXY_QUERY_FOLDER=" + game.slug);
    if (game.steam_app_id > 0) proxy.env.push_back("GSP_PROXY_QUERY_APP_ID=" + std::to_string(game.steam_app_id));
  }
  // Read-only: the proxy connects to the socket in it and may change nothing there.
  proxy.mounts.push_back({docker::Mount::Type::kBind, dirOf(config_.servers_webhook_socket), kProxyWebhookDir, true});
  for (const db::ServerPort& p : s.ports) {
    proxy.ports.push_back({static_cast<uint16_t>(p.internal_port), protocolOf(p.protocol),
                           config_.servers_publish_address, static_cast<uint16_t>(p.public_port)});
  }
  proxy.restart = docker::RestartPolicy::kUnlessStopped;
  proxy.memory_bytes = static_cast<int64_t>(config_.servers_proxy_memory_mb) << 20;
  proxy.memory_swap_bytes = proxy.memory_bytes;
  proxy.logs = docker::JsonFileLogs{};
  proxy.read_only_rootfs = true;
  proxy.cap_drop = {"ALL"};
  proxy.no_new_privileges = true;
  proxy.pids_limit = kProxyPidsLimit;
  docker::DockerResult<docker::CreatedContainer> made = docker_->createContainer(proxy);
  if (!made.isOk()) return made.error();
  return made->id;
}

Status DockerOrchestrator::startProxy(const std::string& container_id) {
  docker::DockerStatus started = docker_->startContainer(container_id);
  if (started.isOk()) return Status::ok();
  std::string message = explain("start its proxy", started.error());
  const std::string& engine = started.error().engineMessage();
  if (engine.find("port is already allocated") != std::string::npos ||
      engine.find("address already in use") != std::string::npos)
    return Status::conflict(message);
  return Status::unavailable(message);
}

Status DockerOrchestrator::wake(const db::ServerRecord& s, const std::string& cause, bool begin) {
  db::ServerRepository servers(db_);
  if (begin && !servers.transition(s.id, s.state, ServerState::kStarting, cause))
    return Status::conflict("The server changed state while it was being woken.");
  // The proxy first: it watches until the game accepts, and RUNNING (its
  // report) then comes after this job ended, so the owner's next click is not "busy".
  tellProxy(s, "game-started");
  docker::DockerStatus started = docker_->startContainer(s.game_container_id);
  if (!started.isOk()) {
    std::string message = explain("start", started.error());
    if (engineAway(started.error().toStatus())) {
      // Had the engine started it after all, the reconcile adopts the running game.
      tellProxy(s, "game-stopped");
      servers.transition(s.id, ServerState::kStarting, ServerState::kSleeping, "start failed: the engine did not answer");
    } else {
      servers.transition(s.id, ServerState::kStarting, ServerState::kError, "start failed", message);
    }
    return Status::unavailable(message);
  }
  return Status::ok();
}

Status DockerOrchestrator::hibernate(const db::ServerRecord& s, const std::string& cause, bool begin) {
  db::ServerRepository servers(db_);
  if (begin && !servers.transition(s.id, s.state, ServerState::kStopping, cause))
    return Status::conflict("The server changed state while it was being put to sleep.");
  docker::DockerStatus stopped =
      docker_->stopContainer(s.game_container_id, std::chrono::seconds(config_.servers_stop_grace_seconds));
  if (!stopped.isOk()) {
    std::string message = explain("stop", stopped.error());
    if (engineAway(stopped.error().toStatus())) {
      servers.recordEvent(s.id, "sleep interrupted: the engine did not answer; the reconcile finishes it");
    } else {
      servers.transition(s.id, ServerState::kStopping, ServerState::kError, "stop failed", message);
    }
    return Status::unavailable(message);
  }
  // The proxy first: once the row says SLEEPING, only the job's end is left,
  // so an act asked for at that moment rarely finds the server still busy.
  tellProxy(s, "game-stopped");
  servers.transition(s.id, ServerState::kStopping, ServerState::kSleeping, "the game stopped; its world is saved");
  return Status::ok();
}

Status DockerOrchestrator::destroy(const db::ServerRecord& s, const std::string& cause, bool begin) {
  db::ServerRepository servers(db_);
  if (begin && !servers.transition(s.id, s.state, ServerState::kDeleting, cause))
    return Status::conflict("The server changed state while it was being deleted.");
  Status removed = removeObjects(s.id);
  if (removed.isOk()) removed = removeBackups(s.id);
  if (!removed.isOk()) {
    if (engineAway(removed)) {  // the engine, or the backup target
      servers.recordEvent(s.id, "delete interrupted; the reconcile tries again", removed.message());
      return Status::unavailable("The server could not be deleted completely yet (" + removed.message() +
                                 "); it is tried again by itself, and nothing is charged meanwhile.");
    }
    std::string message = "The server could not be deleted completely: " + removed.message() + " Try again.";
    servers.transition(s.id, ServerState::kDeleting, ServerState::kError, "delete failed", message);
    return Status::unavailable(message);
  }
  servers.markDeleted(s.id, cause);
  return Status::ok();
}

Status DockerOrchestrator::removeBackups(int64_t server_id) {
  db::BackupRepository backups(db_);
  std::unique_ptr<backup::BackupTarget> target = backup::configuredTarget(config_);
  for (const db::Backup& b : backups.listForServer(server_id)) {
    // A failed or never-taken backup left nothing stored.
    if (b.state == "DONE" || b.state == "RUNNING") {
      if (b.target != target->name()) {
        log::warn() << "server " << server_id << ": backup " << b.id << " stays on the " << b.target
                    << " target, which this host no longer uses: " << b.object_name;
        continue;
      }
      Status gone = target->remove(b.object_name);
      if (!gone.isOk()) return Status::unavailable("its backups could not all be deleted (" + gone.message() + ").");
    }
    backups.markDeleted(b.id);
  }
  return Status::ok();
}

void DockerOrchestrator::tellProxy(const db::ServerRecord& s, const char* news) {
  // proxy/README.md, "Signals": `gsp-proxy notify` signals the proxy from
  // inside its container. Not the engine's kill API: on Engine 20.10 that
  // marks the container "stopped by hand", and an engine restart would then
  // leave the proxy down (its restart policy no longer applies).
  docker::DockerStatus told = docker_->execDetached(objectName(s.id, "proxy"), {kProxyBinary, "notify", news});
  if (!told.isOk()) log::warn() << "server " << s.id << ": could not tell the proxy: " << told.message();
}

std::string DockerOrchestrator::logTail(const std::string& container_id, int lines) {
  docker::LogOptions options;
  options.tail = lines;
  docker::DockerResult<std::vector<docker::LogLine>> got = docker_->containerLogs(container_id, options);
  if (!got.isOk()) return "";
  std::string text;
  for (const docker::LogLine& l : got.value()) text += l.text + "\n";
  return text;
}

Status DockerOrchestrator::repair(const db::ServerRecord& s, std::string* done) {
  std::optional<db::GameImage> game = db::CatalogRepository(db_).find(s.game_image_id);
  if (!game) return Status::internal("The server's game is missing from the catalog.");
  docker::DockerResult<docker::ContainerInfo> proxy = docker_->inspectContainer(objectName(s.id, "proxy"));
  if (!proxy.isOk() && !proxy.error().isNotFound()) return Status::unavailable(explain("be checked", proxy.error()));
  docker::DockerResult<docker::ContainerInfo> game_c = docker_->inspectContainer(objectName(s.id, "game"));
  if (!game_c.isOk() && !game_c.error().isNotFound()) return Status::unavailable(explain("be checked", game_c.error()));
  docker::DockerResult<docker::NetworkInfo> net = docker_->inspectNetwork(objectName(s.id, "net"));
  if (!net.isOk() && !net.error().isNotFound()) return Status::unavailable(explain("be checked", net.error()));
  if (!net.isOk()) return rebuild(s, *game, done);

  std::vector<std::string> did;
  // The proxy first: the public address answers again whatever the game does.
  Status proxied = repairProxy(s, *game, proxy, &did);
  if (!proxied.isOk()) return proxied;

  db::ServerRepository servers(db_);
  std::string what;
  Status settled;
  if (!game_c.isOk()) {
    bool fresh = false;
    Status volume = ensureVolume(s, &fresh);
    if (!volume.isOk()) return volume;
    docker::DockerResult<docker::CreatedContainer> made = createGameContainer(s, *game);
    if (!made.isOk()) return Status::unavailable(explain("get its game container back", made.error()));
    std::optional<db::ServerRecord> now = servers.find(s.id);
    if (now) servers.setDockerObjects(s.id, now->network_name, now->volume_name, now->proxy_container_id, made->id);
    what = std::string("the game container was missing; made again") +
           (fresh ? ", but its data volume was gone too: the world starts afresh" : " (its world is kept in its volume)");
    if (domain::isBilled(s.state)) {
      if (!servers.transition(s.id, s.state, ServerState::kSleeping, what))
        return Status::conflict("The server changed state while it was being checked.");
      tellProxy(s, "game-stopped");
    } else {
      servers.recordEvent(s.id, what);
    }
  } else {
    const docker::ContainerInfo& g = game_c.value();
    const bool started_in_this_state = unixOf(g.state.started_at) >= s.state_since_unix;
    if (domain::isBilled(s.state) && !g.state.running) {
      if (s.state == ServerState::kStarting && !started_in_this_state) {
        // The wake was interrupted before the game was started: start it now.
        docker::DockerStatus started = docker_->startContainer(g.id);
        if (!started.isOk()) return Status::unavailable(explain("start", started.error()));
        tellProxy(s, "game-started");
        what = "started the game (its wake had been interrupted)";
        servers.recordEvent(s.id, what);
      } else {
        settled = settleExit(s, g, proxy.isOk() ? &proxy.value() : nullptr, &what);
      }
    } else if (s.state == ServerState::kStarting && g.state.running &&
               time(nullptr) - s.state_since_unix > game->start_timeout_seconds) {
      settled = stopTimedOutStart(s, *game, &what);
    } else if (s.state == ServerState::kSleeping && g.state.running) {
      settled = adopt(s, &what);
    }
  }
  if (!settled.isOk()) return settled;
  if (!what.empty()) did.push_back(what);
  *done = did.empty() ? "Nothing to repair: the server's containers are as they should be." : "";
  for (const std::string& d : did) *done += (done->empty() ? "" : "; ") + d;
  if (!did.empty()) log::info() << "server " << s.id << " repaired: " << *done;
  return Status::ok();
}

Status DockerOrchestrator::ensureVolume(const db::ServerRecord& s, bool* fresh) {
  docker::LabelFilter mine;
  mine.equals("gsp.installation", config_.servers_object_prefix).equals("gsp.server_id", std::to_string(s.id));
  docker::DockerResult<std::vector<docker::VolumeInfo>> volumes = docker_->listVolumes(mine);
  if (!volumes.isOk()) return Status::unavailable(explain("be checked", volumes.error()));
  const std::string name = s.volume_name.empty() ? objectName(s.id, "data") : s.volume_name;
  *fresh = std::none_of(volumes->begin(), volumes->end(), [&](const docker::VolumeInfo& v) { return v.name == name; });
  if (!*fresh) return Status::ok();
  docker::VolumeSpec volume;
  volume.name = name;
  volume.labels = labels(s.id, "data");
  docker::DockerResult<docker::VolumeInfo> made = docker_->createVolume(volume);
  return made.isOk() ? Status::ok() : Status::unavailable(explain("get its data volume back", made.error()));
}

Status DockerOrchestrator::rebuild(const db::ServerRecord& s, const db::GameImage& game, std::string* done) {
  // Containers attached to a network that is gone cannot start again: both
  // are made anew on a new network, around the data volume.
  for (const char* role : {"proxy", "game"}) {
    docker::DockerStatus removed = docker_->removeContainer(objectName(s.id, role), {true, false});
    if (!removed.isOk() && !removed.error().isNotFound()) return Status::unavailable(explain("be rebuilt", removed.error()));
  }
  Status net = makeNetwork(s.id, "get its network back");
  if (!net.isOk()) return net;
  bool fresh = false;
  Status volume = ensureVolume(s, &fresh);
  if (!volume.isOk()) return volume;
  docker::DockerResult<docker::CreatedContainer> game_c = createGameContainer(s, game);
  if (!game_c.isOk()) return Status::unavailable(explain("be rebuilt", game_c.error()));
  docker::DockerResult<std::string> proxy = createProxyContainer(s, game);
  if (!proxy.isOk()) return Status::unavailable(explain("be rebuilt", proxy.error()));
  Status started = startProxy(proxy.value());
  if (!started.isOk()) return started;
  db::ServerRepository servers(db_);
  servers.setDockerObjects(s.id, objectName(s.id, "net"), objectName(s.id, "data"), proxy.value(), game_c->id);
  *done = std::string("its network was missing; its containers were made again") +
          (fresh ? ", and its data volume was gone too: the world starts afresh" : " (its world is kept)");
  if (domain::isBilled(s.state)) {
    if (!servers.transition(s.id, s.state, ServerState::kSleeping, *done))
      return Status::conflict("The server changed state while it was being rebuilt.");
  } else {
    servers.recordEvent(s.id, *done);
  }
  log::info() << "server " << s.id << " repaired: " << *done;
  return Status::ok();
}

Status DockerOrchestrator::repairProxy(const db::ServerRecord& s, const db::GameImage& game,
                                       const docker::DockerResult<docker::ContainerInfo>& proxy,
                                       std::vector<std::string>* did) {
  db::ServerRepository servers(db_);
  std::string what;
  if (!proxy.isOk()) {
    docker::DockerResult<std::string> made = createProxyContainer(s, game);
    if (!made.isOk()) return Status::unavailable(explain("get its proxy back", made.error()));
    Status started = startProxy(made.value());
    if (!started.isOk()) return started;
    std::optional<db::ServerRecord> now = servers.find(s.id);
    if (now) servers.setDockerObjects(s.id, now->network_name, now->volume_name, made.value(), now->game_container_id);
    what = "the proxy container was missing; made again, so the address answers";
  } else if (!proxy->state.running) {
    Status started = startProxy(proxy->id);
    if (!started.isOk()) return started;
    what = "the proxy container was stopped; started again, so the address answers";
  } else {
    return Status::ok();
  }
  servers.recordEvent(s.id, what);
  did->push_back(what);
  return Status::ok();
}

Status DockerOrchestrator::settleExit(const db::ServerRecord& s, const docker::ContainerInfo& game,
                                      const docker::ContainerInfo* proxy, std::string* what) {
  domain::GameExit exit;
  exit.exit_code = game.state.exit_code;
  exit.oom_killed = game.state.oom_killed;
  // An engine going down stops the proxy with the game (a crash leaves the
  // proxy alone); coming back, it may start the proxy again (restart policy).
  // So: the proxy also stopped within a minute of the game, or started after it.
  const int64_t finished = unixOf(game.state.finished_at);
  const int64_t proxy_finished = proxy ? unixOf(proxy->state.finished_at) : 0;
  exit.engine_restarted = proxy && finished > 0 &&
                          (unixOf(proxy->state.started_at) >= finished ||
                           (proxy_finished > 0 && std::llabs(proxy_finished - finished) <= 60));
  const int64_t window = int64_t(config_.servers_crash_loop_minutes) * 60;
  domain::ExitVerdict verdict = domain::judgeExit(exit, s.last_crash_unix, time(nullptr), window);
  db::TransitionNote note;
  note.detail = logTail(game.id, 20);
  note.crash = verdict == domain::ExitVerdict::kCrash || verdict == domain::ExitVerdict::kCrashLoop;
  *what = domain::describeExit(exit, verdict);
  ServerState to = ServerState::kSleeping;
  if (verdict == domain::ExitVerdict::kCrashLoop) {
    to = ServerState::kError;
    note.block_wakes = true;
    note.message = "The game crashed twice within " + std::to_string(config_.servers_crash_loop_minutes) +
                   " minutes (" + *what + "). Look at its console, then start it again.";
  }
  if (!db::ServerRepository(db_).transition(s.id, s.state, to, *what, note))
    return Status::conflict("The server changed state while it was being checked.");
  tellProxy(s, "game-stopped");
  return Status::ok();
}

Status DockerOrchestrator::stopTimedOutStart(const db::ServerRecord& s, const db::GameImage& game, std::string* what) {
  const int minutes = (game.start_timeout_seconds + 59) / 60;
  db::TransitionNote note;
  note.detail = logTail(s.game_container_id, 20);
  docker::DockerStatus stopped =
      docker_->stopContainer(s.game_container_id, std::chrono::seconds(config_.servers_stop_grace_seconds));
  if (!stopped.isOk()) return Status::unavailable(explain("stop", stopped.error()));
  *what = "the game did not accept players within " + std::to_string(minutes) + " min; stopped";
  note.block_wakes = true;
  note.message = "The game did not accept players within " + std::to_string(minutes) +
                 " minutes. Look at its console, then start it again.";
  if (!db::ServerRepository(db_).transition(s.id, ServerState::kStarting, ServerState::kError, *what, note))
    return Status::conflict("The server changed state while it was being checked.");
  tellProxy(s, "game-stopped");
  return Status::ok();
}

Status DockerOrchestrator::adopt(const db::ServerRecord& s, std::string* what) {
  *what = "adopted: its game was found running while the server slept (started outside the platform)";
  if (!db::ServerRepository(db_).transition(s.id, ServerState::kSleeping, ServerState::kRunning, *what))
    return Status::conflict("The server changed state while it was being checked.");
  // Charged like any running server: paid an hour ahead from now.
  if (db::BillingRepository(db_).chargeDueHour(s.id, time(nullptr)) == db::ChargeResult::kCannotPay) {
    std::optional<db::ServerRecord> now = db::ServerRepository(db_).find(s.id);
    if (now) hibernate(*now, "slept: out of credits", true);
    *what += "; its owner cannot pay, so it sleeps";
  }
  return Status::ok();
}

bool DockerOrchestrator::settleIfGameDead(const db::ServerRecord& s, std::string* what) {
  docker::DockerResult<docker::ContainerInfo> game = docker_->inspectContainer(objectName(s.id, "game"));
  if (!game.isOk() || game->state.running) return false;  // missing: the next reconcile makes it again
  // A STARTING whose start never happened is resumed by the wake, not judged.
  if (s.state == ServerState::kStarting && unixOf(game->state.started_at) < s.state_since_unix) return false;
  docker::DockerResult<docker::ContainerInfo> proxy = docker_->inspectContainer(objectName(s.id, "proxy"));
  return settleExit(s, game.value(), proxy.isOk() ? &proxy.value() : nullptr, what).isOk();
}

Status DockerOrchestrator::backup(const db::ServerRecord& s, const db::Backup& b, const ProgressFn& progress) {
  std::optional<db::GameImage> game = db::CatalogRepository(db_).find(s.game_image_id);
  if (!game) return Status::internal("The server's game is missing from the catalog.");
  docker::DockerResult<docker::ContainerInfo> game_c = docker_->inspectContainer(objectName(s.id, "game"));
  if (!game_c.isOk()) {
    if (game_c.error().isNotFound())
      return Status::unavailable("The server's game container is gone, so there is nothing to back up.");
    return Status::unavailable(explain("be backed up", game_c.error()));
  }
  db::BackupRepository backups(db_);
  std::unique_ptr<backup::BackupTarget> target = backup::configuredTarget(config_);
  if (!backups.start(b.id, target->name(), game_c->state.running)) return Status::conflict("The backup was deleted.");
  Status taken = streamBackup(s, b, game_c->id, game->data_path, *target, b.upload_session, progress);
  if (taken.code() == Status::Code::kConflict && !b.upload_session.empty()) {
    // The interrupted upload held other bytes (the game ran in between): it
    // is dropped, and the backup is taken again from its first byte.
    log::warn() << "server " << s.id << ": backup " << b.id << ": " << taken.message() << "; taken again from the start";
    target->remove(b.object_name);
    taken = streamBackup(s, b, game_c->id, game->data_path, *target, "", progress);
  }
  return taken;
}

Status DockerOrchestrator::streamBackup(const db::ServerRecord& s, const db::Backup& b, const std::string& container_id,
                                        const std::string& data_path, backup::BackupTarget& target,
                                        const std::string& resume_session, const ProgressFn& progress) {
  db::BackupRepository backups(db_);
  std::unique_ptr<backup::ObjectWriter> writer;
  if (!resume_session.empty()) {
    // An earlier try (before an agent restart) left its upload open.
    Result<std::unique_ptr<backup::ObjectWriter>> resumed = target.resume(b.object_name, resume_session);
    if (resumed.isOk()) writer = std::move(resumed.value());
    else log::info() << "server " << s.id << ": backup " << b.id << ": a new upload: " << resumed.status().message();
  }
  if (!writer) {
    Result<std::unique_ptr<backup::ObjectWriter>> created = target.create(b.object_name);
    if (!created.isOk()) return created.status();
    writer = std::move(created.value());
    backups.setUploadSession(b.id, writer->session());
  }
  backup::ArchiveEncoder encoder(*writer);
  Status written;
  auto last = std::chrono::steady_clock::now();
  // The engine's tar of the data path, running or not, streams through gzip to the target.
  docker::DockerStatus read = docker_->getArchive(container_id, data_path, [&](const char* data, size_t size) {
    written = encoder.write(data, size);
    auto now = std::chrono::steady_clock::now();
    if (now - last >= std::chrono::seconds(1)) {
      last = now;
      backups.progress(b.id, encoder.bytesRead(), encoder.bytesStored());
      progress("Backing up", encoder.bytesRead(), 0);
    }
    return written.isOk();
  });
  if (!written.isOk()) return written;  // the writer aborts as it goes
  if (!read.isOk()) return Status::unavailable(explain("be backed up", read.error()));
  Status finished = encoder.finish();
  if (finished.isOk()) finished = writer->commit(encoder.sums());
  if (!finished.isOk()) return finished;
  const backup::ArchiveSums& sums = encoder.sums();
  backups.succeed(b.id, encoder.bytesRead(), sums.size, sums.sha256_hex, sums.md5_base64, sums.crc32c_base64);
  log::info() << "server " << s.id << ": backup " << b.id << " stored, " << encoder.bytesRead() << " bytes read, "
              << sums.size << " stored";
  return Status::ok();
}

Result<std::string> DockerOrchestrator::backupDownloadUrl(int64_t server_id, int64_t backup_id) {
  std::optional<db::Backup> b = db::BackupRepository(db_).find(backup_id);
  if (!b || b->server_id != server_id || b->state != "DONE") return Status::notFound("No such backup.");
  std::optional<db::ServerRecord> s = db::ServerRepository(db_).find(server_id);
  if (!s) return Status::notFound("No such server.");
  std::unique_ptr<backup::BackupTarget> target = backup::configuredTarget(config_);
  if (b->target != target->name())
    return Status::unavailable("The backup is kept on the " + b->target + " target, which this host does not use.");
  return target->downloadUrl(b->object_name, domain::backupFileName(s->name, b->created_at), time(nullptr));
}

Status DockerOrchestrator::restore(const db::ServerRecord& s, const db::Backup& b, std::string* done) {
  std::optional<db::GameImage> game = db::CatalogRepository(db_).find(s.game_image_id);
  if (!game) return Status::internal("The server's game is missing from the catalog.");
  if (b.state != "DONE" || b.sha256.size() != 64) return Status::invalid("Only a finished backup can be restored.");
  std::unique_ptr<backup::BackupTarget> target = backup::configuredTarget(config_);
  if (b.target != target->name())
    return Status::unavailable("The backup is kept on the " + b.target + " target, which this host does not use.");

  // The data goes into a fresh volume through a new game container; the
  // server switches to them only when the archive unpacked and matched.
  db::ServerRecord fresh = s;
  fresh.volume_name = objectName(s.id, "data") + "-r" + std::to_string(b.id);
  const std::string staging = objectName(s.id, "game-restore");
  auto discard = [&] {
    docker_->removeContainer(staging, {true, false});
    docker_->removeVolume(fresh.volume_name, true);
  };
  discard();  // what an interrupted earlier try left
  docker::VolumeSpec volume;
  volume.name = fresh.volume_name;
  volume.labels = labels(s.id, "data");
  docker::DockerResult<docker::VolumeInfo> made_volume = docker_->createVolume(volume);
  if (!made_volume.isOk()) return Status::unavailable(explain("be restored", made_volume.error()));
  docker::DockerResult<docker::CreatedContainer> staged = createGameContainer(fresh, *game, staging);
  if (!staged.isOk()) {
    discard();
    return Status::unavailable(explain("be restored", staged.error()));
  }

  Result<std::unique_ptr<backup::ObjectReader>> reader = target->open(b.object_name);
  if (!reader.isOk()) {
    discard();
    return reader.status();
  }
  backup::ArchiveDigests digests;
  Status read_error;
  const std::string& path = game->data_path;
  const std::string parent = path.rfind('/') == 0 ? "/" : path.substr(0, path.rfind('/'));
  docker::DockerStatus unpacked = docker_->putArchive(staged->id, parent, [&](char* buffer, size_t size) -> long {
    Result<size_t> n = reader.value()->read(buffer, size);
    if (!n.isOk()) {
      read_error = n.status();
      return -1;
    }
    digests.update(buffer, n.value());
    return static_cast<long>(n.value());
  });
  backup::ArchiveSums sums = digests.finish();
  if (!read_error.isOk() || !unpacked.isOk() || sums.sha256_hex != b.sha256) {
    discard();
    std::string why = !read_error.isOk() ? read_error.message()
                      : !unpacked.isOk() ? "it could not be unpacked (" +
                                               (unpacked.error().engineMessage().empty() ? unpacked.message()
                                                                                         : unpacked.error().engineMessage()) +
                                               ")"
                                         : "it does not match its checksum (corrupt, cut short or not this backup)";
    return Status::unavailable("The backup was not restored: " + why + ". The server's data is as it was.");
  }

  // Unpacked and verified: the server switches to the new container and volume.
  docker::DockerStatus removed = docker_->removeContainer(objectName(s.id, "game"), {true, false});
  if (!removed.isOk() && !removed.error().isNotFound()) {
    discard();
    return Status::unavailable(explain("be restored", removed.error()));
  }
  docker::DockerStatus renamed = docker_->renameContainer(staged->id, objectName(s.id, "game"));
  if (!renamed.isOk()) return Status::unavailable(explain("be restored", renamed.error()));
  db::ServerRepository servers(db_);
  servers.setDockerObjects(s.id, s.network_name, fresh.volume_name, s.proxy_container_id, staged->id);
  const std::string old_volume = s.volume_name.empty() ? objectName(s.id, "data") : s.volume_name;
  if (old_volume != fresh.volume_name) {
    docker::DockerStatus dropped = docker_->removeVolume(old_volume, true);
    if (!dropped.isOk()) log::warn() << "server " << s.id << ": the old data volume stays: " << dropped.message();
  }
  *done = "Restored the backup of " + b.created_at + " UTC.";
  servers.recordEvent(s.id, "restored the backup of " + b.created_at + " UTC (" + std::to_string(b.bytes_read) +
                                " bytes of data)");
  return Status::ok();
}

Result<ReconcileReport> DockerOrchestrator::reconcile(int64_t sample_at, UsageMeter& usage) {
  return Reconciler(config_, db_, *docker_, usage, stats_).run(sample_at);
}

Result<ServerLogs> DockerOrchestrator::logs(int64_t server_id, int tail, int64_t since_unix_nanos) {
  std::optional<db::ServerRecord> s = db::ServerRepository(db_).find(server_id);
  if (!s) return Status::notFound("No such server.");
  docker::LogOptions options;
  if (since_unix_nanos > 0) options.since_unix_nanos = since_unix_nanos;
  else options.tail = tail;
  docker::DockerResult<std::vector<docker::LogLine>> lines = docker_->containerLogs(s->game_container_id, options);
  if (!lines.isOk()) return Status::unavailable(explain("show its console", lines.error()));
  ServerLogs out;
  out.cursor = since_unix_nanos;
  for (const docker::LogLine& l : lines.value()) {
    // `since` is inclusive: skip what the caller already has.
    if (since_unix_nanos > 0 && l.unix_nanos < since_unix_nanos) continue;
    out.lines.push_back({docker::logStreamName(l.stream), l.timestamp, l.text});
    out.cursor = std::max(out.cursor, l.unix_nanos + 1);
  }
  if (tail > 0 && out.lines.size() > static_cast<size_t>(tail))
    out.lines.erase(out.lines.begin(), out.lines.end() - tail);
  return out;
}

Result<ServerStats> DockerOrchestrator::stats(int64_t server_id) {
  if (std::optional<ServerStats> recent = stats_.recentFor(server_id)) return *recent;
  std::optional<db::ServerRecord> s = db::ServerRepository(db_).find(server_id);
  if (!s) return Status::notFound("No such server.");
  ServerStats idle;  // a sleeping game uses nothing
  if (!domain::isBilled(s->state)) {
    stats_.rememberFor(server_id, idle);
    return idle;
  }
  Result<ServerStats> stats = stats_.sample(*docker_, s->game_container_id);
  if (!stats.isOk()) return Status::unavailable("The server's usage cannot be read right now: " + stats.status().message());
  stats_.rememberFor(server_id, stats.value());
  return stats;
}

}  // namespace gsp::orchestration
