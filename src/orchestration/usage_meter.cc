#include "orchestration/usage_meter.h"

#include <optional>
#include <thread>

#include "orchestration/cgroup_usage.h"

namespace gsp::orchestration {

UsageMeter::UsageMeter(std::string cgroup_root, std::chrono::milliseconds first_gap)
    : cgroup_root_(std::move(cgroup_root)), first_gap_(first_gap) {}

std::map<std::string, ServerStats> UsageMeter::measure(const std::vector<std::string>& container_ids) {
  std::lock_guard<std::mutex> lock(mu_);
  // Containers never read before get a first reading now, and a short wait.
  bool first_looks = false;
  for (const std::string& id : container_ids) {
    if (last_.count(id)) continue;
    if (std::optional<CgroupUsage> u = readCgroupUsage(cgroup_root_, id)) {
      last_[id] = {Clock::now(), u->cpu_nanos};
      first_looks = true;
    }
  }
  if (first_looks) std::this_thread::sleep_for(first_gap_);

  std::map<std::string, ServerStats> out;
  std::map<std::string, Reading> seen;
  for (const std::string& id : container_ids) {
    std::optional<CgroupUsage> u = readCgroupUsage(cgroup_root_, id);
    if (!u) continue;
    Clock::time_point now = Clock::now();
    ServerStats stats;
    stats.running = true;
    stats.memory_bytes = u->memory_bytes;
    auto before = last_.find(id);
    if (before != last_.end() && u->cpu_nanos >= before->second.cpu_nanos) {
      double wall = std::chrono::duration<double, std::nano>(now - before->second.at).count();
      if (wall > 0) stats.cpu_percent = 100.0 * static_cast<double>(u->cpu_nanos - before->second.cpu_nanos) / wall;
    }
    out[id] = stats;
    seen[id] = {now, u->cpu_nanos};
  }
  // Containers not asked about any more (stopped, removed) are forgotten.
  last_ = std::move(seen);
  return out;
}

}  // namespace gsp::orchestration
