// gsp-agent's side of each lifecycle pass (the agent's `reconcile` request):
// one listing of the platform's containers, compared with the servers' rows.
// A server whose containers disagree with its state gets a job (REPAIR, or
// the interrupted HIBERNATE/DELETE), which looks again before it acts; objects
// labelled for a server that is deleted or unknown are removed once older than
// the grace period (never an object without the platform's labels); every
// running game gets a stats sample. Engine calls per pass: three listings,
// plus one per repair or orphan — not one per server.
// One per request thread (its Database); not thread-safe.
#pragma once

#include <cstdint>

#include "core/config.h"
#include "core/status.h"
#include "db/database.h"
#include "docker/docker_client.h"
#include "orchestration/server_operations.h"
#include "orchestration/stats_sampler.h"
#include "orchestration/usage_meter.h"

namespace gsp::orchestration {

class Reconciler {
 public:
  // `stats` answers for containers whose cgroup `usage` cannot read (an engine call each).
  Reconciler(const Config& config, db::Database& db, docker::DockerClient& docker, UsageMeter& usage,
             StatsSampler& stats);

  // Samples are stored at `sample_at` (the pass's clock); the rest uses the
  // agent's own. kUnavailable when the engine does not answer: then nothing
  // is judged (a missing answer is not a missing container).
  Result<ReconcileReport> run(int64_t sample_at);

 private:
  const Config& config_;
  db::Database& db_;
  docker::DockerClient& docker_;
  UsageMeter& usage_;
  StatsSampler& stats_;
};

}  // namespace gsp::orchestration
