// ServerOperations on a Docker engine: the two containers, the private
// network and the data volume of each server, created, started, stopped and
// removed through the Engine API, with every state change recorded through
// ServerRepository. Objects are named "<prefix>-<id>-<role>" and labelled
// gsp.managed, gsp.installation, gsp.server_id and gsp.role.
// One per worker thread: uses that thread's Database; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/config.h"
#include "db/database.h"
#include "db/server_repository.h"
#include "docker/docker_client.h"
#include "orchestration/server_operations.h"
#include "orchestration/stats_sampler.h"

namespace gsp::orchestration {

class DockerOrchestrator : public ServerOperations {
 public:
  // `stats` is shared by every worker of the process.
  DockerOrchestrator(const Config& config, db::Database& db, std::unique_ptr<docker::DockerClient> docker,
                     StatsSampler& stats);

  Status provision(int64_t server_id) override;
  Status wake(int64_t server_id, const std::string& cause) override;
  Status hibernate(int64_t server_id, const std::string& cause) override;
  Status destroy(int64_t server_id, const std::string& cause) override;
  Result<ServerLogs> logs(int64_t server_id, int tail, int64_t since_unix) override;
  Result<ServerStats> stats(int64_t server_id) override;

  // The names of a server's objects.
  std::string objectName(int64_t server_id, const std::string& role) const;

 private:
  std::map<std::string, std::string> labels(int64_t server_id, const std::string& role) const;
  // Removes every object of the server (missing ones are fine); the first error, if any.
  Status removeObjects(int64_t server_id);
  // "The Docker engine said: ..." for people.
  static std::string explain(const std::string& doing, const docker::DockerError& error);

  const Config& config_;
  db::Database& db_;
  std::unique_ptr<docker::DockerClient> docker_;
  StatsSampler& stats_;
};

// A DockerClient on the configured engine socket with the configured timeout.
std::unique_ptr<docker::DockerClient> connectDocker(const Config& config);

}  // namespace gsp::orchestration
