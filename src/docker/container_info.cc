#include "docker/container_info.h"

#include <cstdlib>

#include "docker/json_fields.h"

namespace gsp::docker {

namespace {

std::string withoutSlash(std::string name) {
  if (!name.empty() && name[0] == '/') name.erase(0, 1);
  return name;
}

// "25565/udp" -> port and protocol; false for anything else.
bool parsePortKey(const std::string& key, PortBinding* out) {
  const size_t slash = key.find('/');
  const std::string proto = slash == std::string::npos ? "tcp" : key.substr(slash + 1);
  char* end = nullptr;
  const long port = std::strtol(key.c_str(), &end, 10);
  if (end == key.c_str() || port <= 0 || port > 65535) return false;
  if (proto != "tcp" && proto != "udp") return false;  // sctp is not used here
  out->container_port = static_cast<uint16_t>(port);
  out->protocol = proto == "udp" ? Protocol::kUdp : Protocol::kTcp;
  return true;
}

std::vector<PortBinding> parsePublishedPorts(const Json& ports) {
  std::vector<PortBinding> out;
  if (!ports.is_object()) return out;
  for (auto it = ports.begin(); it != ports.end(); ++it) {
    PortBinding base;
    if (!parsePortKey(it.key(), &base) || !it.value().is_array()) continue;  // null: exposed only
    for (const Json& b : it.value()) {
      PortBinding p = base;
      p.host_ip = stringField(b, "HostIp");
      const long host_port = std::strtol(stringField(b, "HostPort").c_str(), nullptr, 10);
      if (host_port <= 0 || host_port > 65535) continue;
      p.host_port = static_cast<uint16_t>(host_port);
      out.push_back(p);
    }
  }
  return out;
}

HostSettings parseHostSettings(const Json& host) {
  HostSettings h;
  h.memory_bytes = intField(host, "Memory");
  h.memory_swap_bytes = intField(host, "MemorySwap");
  h.nano_cpus = intField(host, "NanoCpus");
  h.pids_limit = intField(host, "PidsLimit");
  h.read_only_rootfs = boolField(host, "ReadonlyRootfs");
  h.cap_drop = stringListField(host, "CapDrop");
  h.cap_add = stringListField(host, "CapAdd");
  h.security_opt = stringListField(host, "SecurityOpt");
  for (const Json& u : field(host, "Ulimits")) {
    if (u.is_object() && stringField(u, "Name") == "nofile") {
      h.nofile_soft = intField(u, "Soft");
      h.nofile_hard = intField(u, "Hard");
    }
  }
  return h;
}

}  // namespace

ContainerStatus parseContainerStatus(const std::string& text) {
  static const std::map<std::string, ContainerStatus> kNames = {
      {"created", ContainerStatus::kCreated},     {"running", ContainerStatus::kRunning},
      {"paused", ContainerStatus::kPaused},       {"restarting", ContainerStatus::kRestarting},
      {"removing", ContainerStatus::kRemoving},   {"exited", ContainerStatus::kExited},
      {"dead", ContainerStatus::kDead}};
  auto it = kNames.find(text);
  return it == kNames.end() ? ContainerStatus::kUnknown : it->second;
}

const char* containerStatusName(ContainerStatus s) {
  switch (s) {
    case ContainerStatus::kUnknown: return "unknown";
    case ContainerStatus::kCreated: return "created";
    case ContainerStatus::kRunning: return "running";
    case ContainerStatus::kPaused: return "paused";
    case ContainerStatus::kRestarting: return "restarting";
    case ContainerStatus::kRemoving: return "removing";
    case ContainerStatus::kExited: return "exited";
    case ContainerStatus::kDead: return "dead";
  }
  return "unknown";
}

HealthStatus parseHealthStatus(const std::string& text) {
  if (text == "starting") return HealthStatus::kStarting;
  if (text == "healthy") return HealthStatus::kHealthy;
  if (text == "unhealthy") return HealthStatus::kUnhealthy;
  return HealthStatus::kNone;
}

const char* healthStatusName(HealthStatus h) {
  switch (h) {
    case HealthStatus::kNone: return "none";
    case HealthStatus::kStarting: return "starting";
    case HealthStatus::kHealthy: return "healthy";
    case HealthStatus::kUnhealthy: return "unhealthy";
  }
  return "none";
}

DockerResult<ContainerInfo> parseContainerInfo(const std::string& body, const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  const Json& j = parsed.value();
  if (!j.is_object() || stringField(j, "Id").empty()) {
    return DockerError(ErrorKind::kBadResponse, "Docker engine sent no container for " + what);
  }
  ContainerInfo c;
  c.id = stringField(j, "Id");
  c.name = withoutSlash(stringField(j, "Name"));
  c.image_id = stringField(j, "Image");
  const Json& config = field(j, "Config");
  c.image = stringField(config, "Image");
  c.labels = stringMapField(config, "Labels");
  c.restart_count = intField(j, "RestartCount");

  const Json& state = field(j, "State");
  ContainerState& s = c.state;
  s.status = parseContainerStatus(stringField(state, "Status"));
  s.running = boolField(state, "Running");
  s.restarting = boolField(state, "Restarting");
  s.oom_killed = boolField(state, "OOMKilled");
  s.pid = intField(state, "Pid");
  s.exit_code = intField(state, "ExitCode");
  s.error = stringField(state, "Error");
  s.started_at = stringField(state, "StartedAt");
  s.finished_at = stringField(state, "FinishedAt");
  const Json& health = field(state, "Health");
  s.health = parseHealthStatus(stringField(health, "Status"));
  s.health_failing_streak = intField(health, "FailingStreak");

  const Json& net = field(j, "NetworkSettings");
  c.published_ports = parsePublishedPorts(field(net, "Ports"));
  const Json& networks = field(net, "Networks");
  if (networks.is_object()) {
    for (auto it = networks.begin(); it != networks.end(); ++it) c.networks.push_back(it.key());
  }
  c.host = parseHostSettings(field(j, "HostConfig"));
  for (const Json& m : field(j, "Mounts")) {
    if (m.is_object() && !boolField(m, "RW")) c.host.read_only_mounts.push_back(stringField(m, "Destination"));
  }
  return c;
}

DockerResult<std::vector<ContainerSummary>> parseContainerList(const std::string& body,
                                                               const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  const Json& j = parsed.value();
  if (!j.is_array()) {
    return DockerError(ErrorKind::kBadResponse, "Docker engine sent no container list for " + what);
  }
  std::vector<ContainerSummary> out;
  for (const Json& e : j) {
    ContainerSummary c;
    c.id = stringField(e, "Id");
    for (const std::string& n : stringListField(e, "Names")) c.names.push_back(withoutSlash(n));
    c.image = stringField(e, "Image");
    c.labels = stringMapField(e, "Labels");
    c.state = parseContainerStatus(stringField(e, "State"));
    c.status_text = stringField(e, "Status");
    c.created_unix = intField(e, "Created");
    if (!c.id.empty()) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace gsp::docker
