// A server's Docker objects on the engine: its two containers, private
// network and data volume, created, started, stopped and removed through the
// Engine API, with every state change recorded through ServerRepository.
// Objects are named "<prefix>-<id>-<role>" and labelled gsp.managed,
// gsp.installation, gsp.server_id and gsp.role. Used only inside gsp-agent
// (the one holder of the Docker socket), by its job executor and request handler.
// Every act may run again after the agent was killed half-way (`begin` false:
// the server is already in the act's passing state) and then completes it.
// One per thread: uses that thread's Database; not thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/config.h"
#include "db/database.h"
#include "db/server_repository.h"
#include "docker/docker_client.h"
#include "orchestration/server_operations.h"
#include "orchestration/stats_sampler.h"

namespace gsp::orchestration {

// Reports how far an act is, for the page: ("Downloading the game", done, total).
using ProgressFn = std::function<void(const std::string& text, int64_t done, int64_t total)>;

class DockerOrchestrator {
 public:
  // `stats` is shared by every thread of the process.
  DockerOrchestrator(const Config& config, db::Database& db, std::unique_ptr<docker::DockerClient> docker,
                     StatsSampler& stats);

  // CREATING -> SLEEPING: makes the network, volume and both containers and
  // starts the proxy; first removes what an interrupted run left. A public port
  // taken outside the platform moves the server to other ports (a few tries).
  // On failure removes whatever was made, marks the server deleted (freeing its
  // ports) and says why.
  Status create(int64_t server_id, const ProgressFn& progress);
  // SLEEPING/ERROR -> STARTING (when `begin`), then starts the game container.
  Status wake(const db::ServerRecord& server, const std::string& cause, bool begin);
  // STARTING/RUNNING/ERROR -> STOPPING (when `begin`) -> SLEEPING: stops the
  // game with the save grace period, then tells the proxy.
  Status hibernate(const db::ServerRecord& server, const std::string& cause, bool begin);
  // -> DELETING (when `begin`) -> DELETED: removes both containers, the
  // network and the volume; the row stays for the ledger.
  Status destroy(const db::ServerRecord& server, const std::string& cause, bool begin);

  // The game container's last `tail` lines, or those after `since_unix_nanos` when > 0.
  Result<ServerLogs> logs(int64_t server_id, int tail, int64_t since_unix_nanos);
  Result<ServerStats> stats(int64_t server_id);
  // Makes sure catalog entry `game_id`'s image is on the host (gsp-admin pull-images).
  Status pullCatalogImage(int game_id);

  // The names of a server's objects.
  std::string objectName(int64_t server_id, const std::string& role) const;

 private:
  // Pulls `image` unless the engine has it, reporting the bytes as it goes.
  Status ensureImage(const std::string& image, const ProgressFn& progress);
  // One try at making the objects; kConflict when a public port is taken.
  Status makeObjects(const db::ServerRecord& server, const db::GameImage& game);
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
