#include "docker/container_stats.h"

#include "docker/json_fields.h"

namespace gsp::docker {

namespace {

std::optional<uint64_t> optionalUint(const Json& j, const char* key) {
  const Json& v = field(j, key);
  if (!v.is_number()) return std::nullopt;
  return uintField(j, key);
}

}  // namespace

// Mirrors calculateCPUPercentUnix in docker/cli cli/command/container/stats_helpers.go.
double cpuPercent(uint64_t total_usage, uint64_t pre_total_usage, uint64_t system_usage,
                  uint64_t pre_system_usage, uint32_t online_cpus) {
  const double cpu_delta = static_cast<double>(total_usage) - static_cast<double>(pre_total_usage);
  const double system_delta =
      static_cast<double>(system_usage) - static_cast<double>(pre_system_usage);
  if (system_delta > 0.0 && cpu_delta > 0.0) {
    return cpu_delta / system_delta * static_cast<double>(online_cpus) * 100.0;
  }
  return 0.0;
}

// Mirrors calculateMemUsageUnixNoCache in the same file.
uint64_t memoryWithoutCache(uint64_t usage, std::optional<uint64_t> total_inactive_file,
                            std::optional<uint64_t> inactive_file) {
  if (total_inactive_file && *total_inactive_file < usage) return usage - *total_inactive_file;
  if (inactive_file && *inactive_file < usage) return usage - *inactive_file;
  return usage;
}

DockerResult<ContainerStats> parseContainerStats(const std::string& body, const std::string& what) {
  auto parsed = parseJson(body, what);
  if (!parsed.isOk()) return parsed.error();
  const Json& j = parsed.value();
  if (!j.is_object()) {
    return DockerError(ErrorKind::kBadResponse, "Docker engine sent stats that are not an object for " + what);
  }
  ContainerStats s;
  s.read = stringField(j, "read");

  const Json& cpu = field(j, "cpu_stats");
  const Json& pre = field(j, "precpu_stats");
  s.online_cpus = static_cast<uint32_t>(uintField(cpu, "online_cpus"));
  if (s.online_cpus == 0) {
    // Older kernels/engines: count the per-CPU counters, as the CLI does.
    const Json& percpu = field(field(cpu, "cpu_usage"), "percpu_usage");
    if (percpu.is_array()) s.online_cpus = static_cast<uint32_t>(percpu.size());
  }
  s.cpu_total_usage = uintField(field(cpu, "cpu_usage"), "total_usage");
  s.system_cpu_usage = uintField(cpu, "system_cpu_usage");
  s.cpu_percent = cpuPercent(uintField(field(cpu, "cpu_usage"), "total_usage"),
                             uintField(field(pre, "cpu_usage"), "total_usage"),
                             uintField(cpu, "system_cpu_usage"), uintField(pre, "system_cpu_usage"),
                             s.online_cpus);

  const Json& mem = field(j, "memory_stats");
  const Json& mem_detail = field(mem, "stats");
  s.memory_bytes = memoryWithoutCache(uintField(mem, "usage"),
                                      optionalUint(mem_detail, "total_inactive_file"),
                                      optionalUint(mem_detail, "inactive_file"));
  s.memory_limit_bytes = uintField(mem, "limit");
  if (s.memory_limit_bytes != 0) {
    s.memory_percent = static_cast<double>(s.memory_bytes) / static_cast<double>(s.memory_limit_bytes) * 100.0;
  }

  const Json& networks = field(j, "networks");
  if (networks.is_object()) {
    for (const Json& n : networks) {
      s.network_rx_bytes += uintField(n, "rx_bytes");
      s.network_tx_bytes += uintField(n, "tx_bytes");
    }
  }
  s.pids = uintField(field(j, "pids_stats"), "current");
  return s;
}

}  // namespace gsp::docker
