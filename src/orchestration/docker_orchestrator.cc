#include "orchestration/docker_orchestrator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/log.h"
#include "db/catalog_repository.h"
#include "docker/curl_unix_transport.h"
#include "domain/server_state.h"

namespace gsp::orchestration {

namespace {

using domain::ServerState;

// Inside the proxy container: where the folder of nginx's internal listener is
// mounted. The folder, not the socket file: nginx makes a new socket file each
// time it starts, and a file mount would keep pointing at the old one.
const char kProxyWebhookDir[] = "/run/gsp-webhook";
// The proxy runs one event loop per worker thread and a few helpers.
const int64_t kProxyPidsLimit = 64;

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
  note(docker_->removeNetwork(objectName(server_id, "net")));
  note(docker_->removeVolume(objectName(server_id, "data"), true));
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

Status DockerOrchestrator::makeObjects(const db::ServerRecord& s, const db::GameImage& game) {
  const int64_t server_id = s.id;
  docker::NetworkSpec net;
  net.name = objectName(server_id, "net");
  net.labels = labels(server_id, "network");
  docker::DockerResult<std::string> net_id = docker_->createNetwork(net);
  if (!net_id.isOk()) return Status::unavailable(explain("be created", net_id.error()));

  docker::VolumeSpec volume;
  volume.name = objectName(server_id, "data");
  volume.labels = labels(server_id, "data");
  docker::DockerResult<docker::VolumeInfo> made_volume = docker_->createVolume(volume);
  if (!made_volume.isOk()) return Status::unavailable(explain("be created", made_volume.error()));

  docker::ContainerSpec game_spec;
  game_spec.name = objectName(server_id, "game");
  game_spec.image = game.docker_image;
  game_spec.env = envFromJson(game.default_env);
  game_spec.labels = labels(server_id, "game");
  game_spec.network = net.name;
  game_spec.network_aliases = {"game"};
  game_spec.mounts.push_back({docker::Mount::Type::kVolume, volume.name, game.data_path, false});
  game_spec.restart = docker::RestartPolicy::kNo;
  game_spec.memory_bytes = static_cast<int64_t>(game.min_ram_mb) << 20;
  game_spec.memory_swap_bytes = game_spec.memory_bytes;  // no swap: a game past its memory is stopped, not slowed
  game_spec.nano_cpus = static_cast<int64_t>(game.min_cpu_millis) * 1000000;
  game_spec.logs = docker::JsonFileLogs{};
  game_spec.cap_drop = {"ALL"};
  game_spec.cap_add = game.cap_add;
  game_spec.no_new_privileges = true;
  game_spec.pids_limit = game.pids_limit;
  game_spec.ulimits = {{"nofile", game.nofile_limit, game.nofile_limit}};
  docker::DockerResult<docker::CreatedContainer> game_container = docker_->createContainer(game_spec);
  if (!game_container.isOk()) return Status::unavailable(explain("be created", game_container.error()));

  const std::string socket = std::string(kProxyWebhookDir) + "/" + baseOf(config_.servers_webhook_socket);
  docker::ContainerSpec proxy;
  proxy.name = objectName(server_id, "proxy");
  proxy.image = config_.servers_proxy_image;
  proxy.labels = labels(server_id, "proxy");
  proxy.network = net.name;
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
  docker::DockerResult<docker::CreatedContainer> proxy_container = docker_->createContainer(proxy);
  if (!proxy_container.isOk()) return Status::unavailable(explain("be created", proxy_container.error()));
  docker::DockerStatus started = docker_->startContainer(proxy_container->id);
  if (!started.isOk()) {
    std::string message = explain("start its proxy", started.error());
    const std::string& engine = started.error().engineMessage();
    if (engine.find("port is already allocated") != std::string::npos ||
        engine.find("address already in use") != std::string::npos)
      return Status::conflict(message);
    return Status::unavailable(message);
  }
  db::ServerRepository(db_).setDockerObjects(server_id, net.name, volume.name, proxy_container->id,
                                             game_container->id);
  return Status::ok();
}

Status DockerOrchestrator::wake(const db::ServerRecord& s, const std::string& cause, bool begin) {
  db::ServerRepository servers(db_);
  if (begin && !servers.transition(s.id, s.state, ServerState::kStarting, cause))
    return Status::conflict("The server changed state while it was being woken.");
  docker::DockerStatus started = docker_->startContainer(s.game_container_id);
  if (!started.isOk()) {
    std::string message = explain("start", started.error());
    servers.transition(s.id, ServerState::kStarting, ServerState::kError, "start failed", message);
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
    servers.transition(s.id, ServerState::kStopping, ServerState::kError, "stop failed", message);
    return Status::unavailable(message);
  }
  servers.transition(s.id, ServerState::kStopping, ServerState::kSleeping, "the game stopped; its world is saved");
  // Tell the proxy, so the next player wakes the game at once (proxy/README.md, signals).
  docker::DockerStatus told = docker_->killContainer(s.proxy_container_id, "SIGUSR2");
  if (!told.isOk()) log::warn() << "server " << s.id << ": could not tell the proxy: " << told.message();
  return Status::ok();
}

Status DockerOrchestrator::destroy(const db::ServerRecord& s, const std::string& cause, bool begin) {
  db::ServerRepository servers(db_);
  if (begin && !servers.transition(s.id, s.state, ServerState::kDeleting, cause))
    return Status::conflict("The server changed state while it was being deleted.");
  Status removed = removeObjects(s.id);
  if (!removed.isOk()) {
    std::string message = "The server could not be deleted completely: " + removed.message() + " Try again.";
    servers.transition(s.id, ServerState::kDeleting, ServerState::kError, "delete failed", message);
    return Status::unavailable(message);
  }
  servers.markDeleted(s.id, cause);
  return Status::ok();
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
