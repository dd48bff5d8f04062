// ServerOperations for the unprivileged programs (gsp-web): every act on a
// server becomes a job row that gsp-agent runs (the agent is poked so it takes
// it at once; its poll catches a lost poke), and the live console and usage
// are asked of the agent. Nothing here opens the Docker socket.
// One per worker thread: uses that thread's Database and its own connection
// to the agent; not thread-safe.
#pragma once

#include <string>

#include "agentapi/agent_client.h"
#include "core/config.h"
#include "db/database.h"
#include "domain/job.h"
#include "orchestration/server_operations.h"

namespace gsp::agentapi {

class AgentOperations : public orchestration::ServerOperations {
 public:
  AgentOperations(const Config& config, db::Database& db);

  Status provision(int64_t server_id, const orchestration::Asker& by) override;
  Status wake(int64_t server_id, const orchestration::Asker& by) override;
  Status hibernate(int64_t server_id, const orchestration::Asker& by) override;
  Status destroy(int64_t server_id, const orchestration::Asker& by) override;
  Result<orchestration::ServerLogs> logs(int64_t server_id, int tail, int64_t since_unix) override;
  Status backUp(int64_t server_id, int64_t backup_id, const orchestration::Asker& by) override;
  Status restore(int64_t server_id, int64_t backup_id, const orchestration::Asker& by) override;
  Status deleteBackup(int64_t server_id, int64_t backup_id, const orchestration::Asker& by) override;
  Result<std::string> backupDownloadUrl(int64_t server_id, int64_t backup_id) override;
  Result<orchestration::ServerStats> stats(int64_t server_id) override;
  Result<orchestration::ReconcileReport> reconcile(int64_t at) override;

 private:
  Status queue(int64_t server_id, domain::JobKind kind, const orchestration::Asker& by);
  // Tells the agent a job is queued; always kOk (a missed poke is found by its poll).
  Status poke(int64_t job_id);

  db::Database& db_;
  AgentClient agent_;
};

}  // namespace gsp::agentapi
