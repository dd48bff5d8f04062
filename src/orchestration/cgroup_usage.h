// A container's CPU time and memory, read from its cgroup files instead of an
// engine call: a lifecycle pass samples every running game, and one stats
// call per container would make its engine calls grow with the servers.
// Knows the engine's usual layouts: cgroup v1 (ROOT/cpuacct/docker/ID,
// ROOT/memory/docker/ID) and v2 (ROOT/docker/ID, ROOT/system.slice/docker-ID.scope).
// Pure reads of files; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gsp::orchestration {

struct CgroupUsage {
  uint64_t cpu_nanos = 0;    // CPU time used since the container started
  int64_t memory_bytes = 0;  // without page cache, as `docker stats` shows
};

// Nothing when the container's cgroup is not found under `root` (another
// layout, a remote engine, a container that just stopped).
std::optional<CgroupUsage> readCgroupUsage(const std::string& root, const std::string& container_id);

}  // namespace gsp::orchestration
