// AgentClient: one connection to gsp-agent's socket, a request and its reply
// at a time (agent_protocol.h). Connects on first use and once more when the
// agent restarted in between; every call has a deadline, so an agent that
// hangs costs a caller that long and no more.
// One per thread (a FastCGI worker keeps its own); not thread-safe.
#pragma once

#include <chrono>
#include <string>

#include "agentapi/agent_protocol.h"
#include "core/status.h"
#include "core/unique_fd.h"

namespace gsp::agentapi {

class AgentClient {
 public:
  AgentClient(std::string socket_path, std::chrono::milliseconds timeout);

  // The reply text of one request, or kUnavailable saying why there is none.
  Result<std::string> call(const AgentRequest& request);

  Status ping();
  Status poke(int64_t job_id);
  Result<orchestration::ServerLogs> logs(int64_t server_id, int tail, int64_t since);
  Result<orchestration::ServerStats> stats(int64_t server_id);
  // A signed URL for the Cloud Storage backup `backup_id` of `server_id`.
  Result<std::string> downloadUrl(int64_t server_id, int64_t backup_id);
  // A lifecycle pass's reconcile, samples stored at `at` (unix seconds).
  Result<orchestration::ReconcileReport> reconcile(int64_t at);
  // Waits for the pull itself: give this client a timeout long enough for a big image.
  Status pull(int64_t game_id);

 private:
  Status connect();
  // One attempt on the current connection; false when the connection failed
  // before a reply came (the caller may reconnect and try once more).
  bool exchange(const std::string& request, std::string* reply, Status* error);

  const std::string socket_path_;
  const std::chrono::milliseconds timeout_;
  UniqueFd fd_;
};

}  // namespace gsp::agentapi
