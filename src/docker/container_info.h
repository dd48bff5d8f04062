// What the engine says about containers: ContainerInfo from
// `GET /containers/{id}/json` (state, exit code, health, published ports) and
// ContainerSummary from `GET /containers/json`, parsed without exceptions.
// Plain values and pure functions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "docker/container_spec.h"
#include "docker/docker_error.h"

namespace gsp::docker {

enum class ContainerStatus { kUnknown, kCreated, kRunning, kPaused, kRestarting, kRemoving, kExited, kDead };
enum class HealthStatus { kNone, kStarting, kHealthy, kUnhealthy };  // kNone: no health check

ContainerStatus parseContainerStatus(const std::string& text);  // "running" -> kRunning
const char* containerStatusName(ContainerStatus s);
HealthStatus parseHealthStatus(const std::string& text);
const char* healthStatusName(HealthStatus h);

struct ContainerState {
  ContainerStatus status = ContainerStatus::kUnknown;
  bool running = false;
  bool restarting = false;
  bool oom_killed = false;
  int64_t pid = 0;
  int64_t exit_code = 0;
  std::string error;        // the engine's reason when the start failed
  std::string started_at;   // RFC 3339; "0001-01-01T00:00:00Z" if never started
  std::string finished_at;
  HealthStatus health = HealthStatus::kNone;
  int64_t health_failing_streak = 0;
};

// What HostConfig says of a container's limits and hardening, as the engine applied it.
struct HostSettings {
  int64_t memory_bytes = 0;
  int64_t memory_swap_bytes = 0;
  int64_t nano_cpus = 0;
  int64_t pids_limit = 0;
  bool read_only_rootfs = false;
  std::vector<std::string> cap_drop;
  std::vector<std::string> cap_add;
  std::vector<std::string> security_opt;
  int64_t nofile_soft = 0;  // the nofile ulimit, 0: none set
  int64_t nofile_hard = 0;
  std::vector<std::string> read_only_mounts;  // targets of the mounts that are read-only
};

struct ContainerInfo {
  std::string id;
  std::string name;      // without the engine's leading '/'
  std::string image;     // as asked for at creation ("gsp/proxy:latest")
  std::string image_id;  // "sha256:..."
  std::map<std::string, std::string> labels;
  ContainerState state;
  int64_t restart_count = 0;
  std::vector<PortBinding> published_ports;  // the host ports actually bound, when running
  std::vector<std::string> networks;         // names of the networks it is attached to
  HostSettings host;
};

struct ContainerSummary {
  std::string id;
  std::vector<std::string> names;  // without the leading '/'
  std::string image;
  std::map<std::string, std::string> labels;
  ContainerStatus state = ContainerStatus::kUnknown;
  std::string status_text;         // "Up 5 minutes", "Exited (0) 2 hours ago"
  int64_t created_unix = 0;
};

// `what` names the call in error messages.
DockerResult<ContainerInfo> parseContainerInfo(const std::string& body, const std::string& what);
DockerResult<std::vector<ContainerSummary>> parseContainerList(const std::string& body,
                                                               const std::string& what);

}  // namespace gsp::docker
