// CPU % and memory of many running containers at once, from their cgroup
// files (cgroup_usage.h), for the stats history: CPU % is the CPU time used
// between two looks at the same container over the wall time between them
// (100 = one whole CPU, as `docker stats` shows). A container seen for the
// first time is read twice a short moment apart (once for all of them).
// One per process, shared by the agent's threads: thread-safe (internal mutex).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "orchestration/server_operations.h"

namespace gsp::orchestration {

class UsageMeter {
 public:
  explicit UsageMeter(std::string cgroup_root = "/sys/fs/cgroup",
                      std::chrono::milliseconds first_gap = std::chrono::milliseconds(250));

  // By container id; those whose cgroup cannot be read are left out.
  std::map<std::string, ServerStats> measure(const std::vector<std::string>& container_ids);

 private:
  using Clock = std::chrono::steady_clock;
  struct Reading {
    Clock::time_point at;
    uint64_t cpu_nanos = 0;
  };

  const std::string cgroup_root_;
  const std::chrono::milliseconds first_gap_;
  std::mutex mu_;
  std::map<std::string, Reading> last_;  // guarded by mu_
};

}  // namespace gsp::orchestration
