// One resource sample of a container from `GET /containers/{id}/stats?stream=false`
// (which fills precpu_stats, so CPU % is over the engine's ~1 s interval), with
// the figures computed exactly as the docker CLI's `docker stats` does.
// Plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "docker/docker_error.h"

namespace gsp::docker {

struct ContainerStats {
  std::string read;                 // time of the sample, RFC 3339
  double cpu_percent = 0;           // 100 = one whole CPU, as in `docker stats`
  uint32_t online_cpus = 0;
  uint64_t memory_bytes = 0;        // usage without the page cache
  uint64_t memory_limit_bytes = 0;  // the container's limit, or the host's memory
  double memory_percent = 0;
  uint64_t network_rx_bytes = 0;    // summed over the container's interfaces
  uint64_t network_tx_bytes = 0;
  uint64_t pids = 0;
  // The cumulative counters behind cpu_percent, for callers that compute CPU %
  // between samples of their own (one-shot samples leave precpu_stats empty).
  uint64_t cpu_total_usage = 0;     // nanoseconds of CPU the container used
  uint64_t system_cpu_usage = 0;    // nanoseconds of CPU the host used
};

// (cpu delta / system delta) * online CPUs * 100 when both deltas are
// positive, else 0 (first sample, stopped container).
double cpuPercent(uint64_t total_usage, uint64_t pre_total_usage, uint64_t system_usage,
                  uint64_t pre_system_usage, uint32_t online_cpus);

// usage - total_inactive_file (cgroup v1) or usage - inactive_file (cgroup v2),
// when that counter is present and below usage; else usage.
uint64_t memoryWithoutCache(uint64_t usage, std::optional<uint64_t> total_inactive_file,
                            std::optional<uint64_t> inactive_file);

// The engine's stats JSON; bad JSON is a kBadResponse error.
DockerResult<ContainerStats> parseContainerStats(const std::string& body, const std::string& what);

}  // namespace gsp::docker
