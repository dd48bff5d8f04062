// DockerClient: the typed Docker Engine API calls the platform needs
// (networks, volumes, containers, logs, stats, images, archives), over any
// DockerTransport. The API version is negotiated with `GET /version` on the
// first versioned call (the highest both sides speak) and prefixed to every path.
// Every call returns a DockerStatus / DockerResult carrying the engine's message
// and HTTP status; nothing throws.
// Ownership: owns its transport. Thread-safe if the transport is (CurlUnixTransport
// is): the negotiated version is the only mutable state and a mutex guards it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "docker/api_version.h"
#include "docker/container_info.h"
#include "docker/container_spec.h"
#include "docker/container_stats.h"
#include "docker/docker_error.h"
#include "docker/docker_transport.h"
#include "docker/engine_objects.h"
#include "docker/image_pull.h"
#include "docker/label_filter.h"
#include "docker/log_stream.h"

namespace gsp::docker {

struct DockerClientOptions {
  // The API versions this client's calls are written for: 1.41 (docker.io
  // 20.10) up to 1.47 (engine 27); engines 29.x accept 1.44 at the lowest.
  ApiVersion min_api{1, 41};
  ApiVersion max_api{1, 47};
  // Calls the engine itself keeps open get longer deadlines than the transport's default.
  std::chrono::milliseconds stats_timeout{20000};      // stream=false waits for a second sample
  std::chrono::milliseconds stop_margin{15000};        // added to the grace period of a stop
  std::chrono::milliseconds archive_timeout{600000};   // a whole data volume as tar
  std::chrono::milliseconds pull_timeout{1800000};     // a big game image on a slow link
};

struct CreatedContainer {
  std::string id;
  std::vector<std::string> warnings;
};

struct RemoveContainerOptions {
  bool force = false;           // kill it first if running
  bool remove_volumes = false;  // also its anonymous volumes (named ones stay)
};

struct LogOptions {
  bool include_stdout = true;
  bool include_stderr = true;
  std::optional<int> tail;       // the last N lines; all when absent
  int64_t since_unix_nanos = 0;  // lines at or after this instant; 0: from the start
  size_t max_bytes = 8u << 20;   // a bigger answer is an error: ask with tail or since
};

class DockerClient {
 public:
  explicit DockerClient(std::unique_ptr<DockerTransport> transport, DockerClientOptions options = {});

  DockerClient(const DockerClient&) = delete;
  DockerClient& operator=(const DockerClient&) = delete;

  // ---- engine ----
  DockerStatus ping();                     // GET /_ping
  DockerResult<EngineVersion> version();   // GET /version (unversioned)
  // Asks the engine once and remembers the answer; later calls return it.
  DockerResult<ApiVersion> negotiate();
  std::string endpoint() const { return transport_->endpoint(); }

  // ---- networks ----
  DockerResult<std::string> createNetwork(const NetworkSpec& spec);  // the id
  DockerResult<NetworkInfo> inspectNetwork(const std::string& id_or_name);
  DockerStatus removeNetwork(const std::string& id_or_name);
  DockerResult<std::vector<NetworkInfo>> listNetworks(const LabelFilter& filter);

  // ---- volumes ----
  DockerResult<VolumeInfo> createVolume(const VolumeSpec& spec);
  DockerStatus removeVolume(const std::string& name, bool force = false);
  DockerResult<std::vector<VolumeInfo>> listVolumes(const LabelFilter& filter);

  // ---- containers ----
  DockerResult<CreatedContainer> createContainer(const ContainerSpec& spec);
  DockerStatus startContainer(const std::string& id);  // already running: ok
  // SIGTERM, then SIGKILL after `grace`; already stopped: ok. Waits up to grace + stop_margin.
  DockerStatus stopContainer(const std::string& id, std::chrono::seconds grace);
  DockerStatus killContainer(const std::string& id, const std::string& signal = "SIGKILL");
  // Runs `cmd` in the running container and returns once it started (its
  // outcome is not waited for). For telling a process something: a signal
  // sent with killContainer() marks the container "stopped by hand" on
  // Engine 20.10, so its restart policy no longer brings it back.
  DockerStatus execDetached(const std::string& id, const std::vector<std::string>& cmd);
  DockerStatus removeContainer(const std::string& id, RemoveContainerOptions options = {});
  DockerResult<ContainerInfo> inspectContainer(const std::string& id);
  DockerResult<std::vector<ContainerSummary>> listContainers(const LabelFilter& filter,
                                                             bool include_stopped = true);
  // Demultiplexed lines with timestamps (containers without a TTY).
  DockerResult<std::vector<LogLine>> containerLogs(const std::string& id, const LogOptions& options);
  // `one_shot`: answer at once with one sample (API 1.41+; cpu_percent is then
  // 0 and the caller compares cpu_total_usage/system_cpu_usage between samples);
  // otherwise the engine samples twice, about a second apart.
  DockerResult<ContainerStats> containerStats(const std::string& id, bool one_shot = false);
  // A tar of `path` inside the container (running or not), streamed to `sink`.
  DockerStatus getArchive(const std::string& id, const std::string& path, const BodySink& sink);
  // Unpacks the tar (plain, gzip, bzip2 or xz) that `source` streams into
  // `path`, a folder in the container (running or not).
  DockerStatus putArchive(const std::string& id, const std::string& path, const BodySource& source);
  DockerStatus renameContainer(const std::string& id, const std::string& new_name);
  // The same into `file` (created or truncated; removed again on failure).
  DockerStatus getArchiveToFile(const std::string& id, const std::string& path, const std::string& file);

  // ---- images ----
  DockerResult<ImageInfo> inspectImage(const std::string& reference);
  DockerResult<bool> imageExists(const std::string& reference);  // 404 -> false
  // Pulls `reference` from its registry, calling `progress` as the engine
  // reports. An "error" in the stream (HTTP 200 notwithstanding) fails the call.
  DockerStatus pullImage(const std::string& reference, const std::function<void(const PullProgress&)>& progress);

 private:
  // Sends a versioned request (negotiating first if needed); an HTTP status
  // outside 2xx and `also_ok` becomes an engine error. `what` names the call.
  DockerResult<HttpResponse> call(HttpRequest request, const std::string& what, int also_ok = 0);
  DockerResult<HttpResponse> sendRaw(const HttpRequest& request, const std::string& what, int also_ok);

  // Constant after construction.
  const std::unique_ptr<DockerTransport> transport_;
  const DockerClientOptions options_;

  std::mutex mu_;
  std::optional<ApiVersion> api_;  // guarded by mu_
};

}  // namespace gsp::docker
