// Live CPU and memory of game containers for the server pages, cheap enough
// to poll: one-shot samples (answered at once) with CPU % computed between a
// container's consecutive samples, and a short cache so that several open
// pages of one server cost one engine call. The first look at a container
// asks the engine for its own two-sample figure (about a second).
// One per process, shared by the workers: thread-safe (internal mutex).
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/status.h"
#include "docker/docker_client.h"
#include "orchestration/server_operations.h"

namespace gsp::orchestration {

class StatsSampler {
 public:
  // Answers younger than `reuse_for` are served from the cache.
  explicit StatsSampler(std::chrono::milliseconds reuse_for = std::chrono::milliseconds(1500));

  Result<ServerStats> sample(docker::DockerClient& docker, const std::string& container_id);

  // The last answer for a server, younger than `reuse_for`: every open page of
  // it polls, and a repeat costs neither the engine nor the database a call.
  std::optional<ServerStats> recentFor(int64_t server_id);
  void rememberFor(int64_t server_id, const ServerStats& stats);

 private:
  using Clock = std::chrono::steady_clock;
  struct Last {
    Clock::time_point at;
    uint64_t cpu_total_usage = 0;
    uint64_t system_cpu_usage = 0;
    ServerStats stats;
  };

  const std::chrono::milliseconds reuse_for_;
  std::mutex mu_;
  std::map<std::string, Last> last_;  // by container id; guarded by mu_
  struct Answer {
    Clock::time_point at;
    ServerStats stats;
  };
  std::map<int64_t, Answer> answers_;  // by server id; guarded by mu_
};

}  // namespace gsp::orchestration
