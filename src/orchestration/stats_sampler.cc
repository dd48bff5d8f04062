#include "orchestration/stats_sampler.h"

namespace gsp::orchestration {

namespace {
// Past this, the previous sample is too old to say anything about "now".
const std::chrono::seconds kStale(30);
}  // namespace

StatsSampler::StatsSampler(std::chrono::milliseconds reuse_for) : reuse_for_(reuse_for) {}

Result<ServerStats> StatsSampler::sample(docker::DockerClient& docker, const std::string& container_id) {
  Last previous;
  bool have_previous = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = last_.find(container_id);
    if (it != last_.end()) {
      if (Clock::now() - it->second.at < reuse_for_) return it->second.stats;
      if (Clock::now() - it->second.at < kStale) {
        previous = it->second;
        have_previous = true;
      }
    }
  }
  // The engine is asked outside the lock: one slow container must not stall the others.
  docker::DockerResult<docker::ContainerStats> s = docker.containerStats(container_id, have_previous);
  if (!s.isOk()) return s.status();

  Last now;
  now.at = Clock::now();
  now.cpu_total_usage = s->cpu_total_usage;
  now.system_cpu_usage = s->system_cpu_usage;
  now.stats.running = true;
  now.stats.cpu_percent = have_previous ? docker::cpuPercent(s->cpu_total_usage, previous.cpu_total_usage,
                                                             s->system_cpu_usage, previous.system_cpu_usage,
                                                             s->online_cpus)
                                        : s->cpu_percent;
  now.stats.memory_bytes = static_cast<int64_t>(s->memory_bytes);
  now.stats.memory_limit_bytes = static_cast<int64_t>(s->memory_limit_bytes);
  std::lock_guard<std::mutex> lock(mu_);
  // Forget containers nobody looked at for a while, so the map stays small.
  for (auto it = last_.begin(); it != last_.end();) {
    it = now.at - it->second.at > kStale ? last_.erase(it) : std::next(it);
  }
  last_[container_id] = now;
  return now.stats;
}

std::optional<ServerStats> StatsSampler::recentFor(int64_t server_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = answers_.find(server_id);
  if (it == answers_.end() || Clock::now() - it->second.at >= reuse_for_) return std::nullopt;
  return it->second.stats;
}

void StatsSampler::rememberFor(int64_t server_id, const ServerStats& stats) {
  std::lock_guard<std::mutex> lock(mu_);
  const Clock::time_point now = Clock::now();
  for (auto it = answers_.begin(); it != answers_.end();) {
    it = now - it->second.at > kStale ? answers_.erase(it) : std::next(it);
  }
  answers_[server_id] = {now, stats};
}

}  // namespace gsp::orchestration
