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
#include <vector>

#include "backup/backup_target.h"
#include "core/config.h"
#include "db/backup_repository.h"
#include "db/database.h"
#include "db/server_repository.h"
#include "docker/docker_client.h"
#include "orchestration/server_operations.h"
#include "orchestration/stats_sampler.h"
#include "orchestration/usage_meter.h"

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

  // REPAIR (reconcile, docs/design.md): looks at the server's containers now
  // and fixes what disagrees with its state. A missing proxy is made again, a
  // stopped one started; a missing game container is made again (its world is
  // in the volume); a missing network, both containers with it. A game that
  // exited while STARTING or RUNNING is judged
  // (engine restart, clean exit, crash, crash loop): the server sleeps, or goes
  // to ERROR after a crash loop. A game still starting past its catalog
  // timeout is stopped (ERROR). A game running while the server sleeps is
  // adopted (RUNNING, charged). Each change is conditional on the state the
  // repair saw, so a user's act that came first wins. `*done` says what it did.
  Status repair(const db::ServerRecord& server, std::string* done);
  // For a wake of a STARTING or RUNNING server (a player could not reach its
  // game): when the game is not running, judges its exit as repair() does.
  // True when the server moved (to SLEEPING, or to ERROR after a crash loop).
  bool settleIfGameDead(const db::ServerRecord& server, std::string* what);

  // BACKUP: streams the game's data path out of its container (running or
  // not) through gzip to the configured target, with the backup's progress
  // and sums in its row. Memory stays bounded whatever the data's size.
  Status backup(const db::ServerRecord& server, const db::Backup& backup, const ProgressFn& progress);
  // RESTORE (the server asleep): unpacks the backup into a fresh volume
  // through a new game container while checking its SHA-256; only when both
  // succeed does the server switch to them (the old ones are removed).
  // Otherwise nothing of the server changes.
  Status restore(const db::ServerRecord& server, const db::Backup& backup, std::string* done);
  // A signed URL for a finished backup of `server_id` kept on this host's
  // Cloud Storage target; kNotFound for another server's or an unfinished one.
  Result<std::string> backupDownloadUrl(int64_t server_id, int64_t backup_id);

  // The agent's side of a lifecycle pass (reconciler.h): repairs queued as
  // jobs, orphans removed, usage sampled at `sample_at`.
  Result<ReconcileReport> reconcile(int64_t sample_at, UsageMeter& usage);

  // The game container's last `tail` lines, or those after `since_unix_nanos` when > 0.
  Result<ServerLogs> logs(int64_t server_id, int tail, int64_t since_unix_nanos);
  Result<ServerStats> stats(int64_t server_id);
  // Makes sure catalog entry `game_id`'s image is on the host (gsp-admin pull-images).
  Status pullCatalogImage(int game_id);

  // The names of a server's objects.
  std::string objectName(int64_t server_id, const std::string& role) const;

 private:
  // Removes the server's backups from the target and marks them deleted.
  Status removeBackups(int64_t server_id);
  // One try at a backup: the container's tar through gzip to `target`, going
  // on with `resume_session` when it is not empty.
  Status streamBackup(const db::ServerRecord& server, const db::Backup& backup, const std::string& container_id,
                      const std::string& data_path, backup::BackupTarget& target, const std::string& resume_session,
                      const ProgressFn& progress);
  // Pulls `image` unless the engine has it, reporting the bytes as it goes.
  Status ensureImage(const std::string& image, const ProgressFn& progress);
  // One try at making the objects; kConflict when a public port is taken.
  Status makeObjects(const db::ServerRecord& server, const db::GameImage& game);
  // Named "<prefix>-<id>-game" unless `name` says otherwise; mounts the row's volume.
  docker::DockerResult<docker::CreatedContainer> createGameContainer(const db::ServerRecord& server,
                                                                     const db::GameImage& game,
                                                                     const std::string& name = "");
  // The proxy container's id.
  docker::DockerResult<std::string> createProxyContainer(const db::ServerRecord& server, const db::GameImage& game);
  // kConflict when one of its public ports is taken.
  Status startProxy(const std::string& container_id);
  // repair()'s steps. rebuild(): the network is gone, so both containers are
  // made again on a new one, around the data volume.
  Status rebuild(const db::ServerRecord& server, const db::GameImage& game, std::string* done);
  // Makes the data volume unless it exists; `*fresh` says it had to.
  Status ensureVolume(const db::ServerRecord& server, bool* fresh);
  // `proxy` is the proxy as found before the repair (null:
  // missing), which tells an engine restart from a crash.
  Status repairProxy(const db::ServerRecord& server, const db::GameImage& game,
                     const docker::DockerResult<docker::ContainerInfo>& proxy, std::vector<std::string>* did);
  Status settleExit(const db::ServerRecord& server, const docker::ContainerInfo& game,
                    const docker::ContainerInfo* proxy, std::string* what);
  Status stopTimedOutStart(const db::ServerRecord& server, const db::GameImage& game, std::string* what);
  Status adopt(const db::ServerRecord& server, std::string* what);
  // The game's last lines, one per line, for a history event ("" when unreadable).
  std::string logTail(const std::string& container_id, int lines);
  // Tells the proxy "game-started" (it watches for the game to accept, so
  // STARTING becomes RUNNING with no player) or "game-stopped" (the next
  // player wakes it at once).
  void tellProxy(const db::ServerRecord& server, const char* news);
  std::map<std::string, std::string> labels(int64_t server_id, const std::string& role) const;
  // Removes every object of the server (missing ones are fine); the first error, if any.
  Status removeObjects(int64_t server_id);
  // The server's private network, on a subnet of servers.network-pool that no
  // network on the engine overlaps; `doing` ends the message on failure.
  Status makeNetwork(int64_t server_id, const std::string& doing);
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
