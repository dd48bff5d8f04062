#include "agentapi/agent_operations.h"

#include "core/log.h"
#include "db/job_repository.h"

namespace gsp::agentapi {

AgentOperations::AgentOperations(const Config& config, db::Database& db)
    : db_(db), agent_(config.agent_socket, std::chrono::milliseconds(config.agent_timeout_ms)) {}

Status AgentOperations::queue(int64_t server_id, domain::JobKind kind, const orchestration::Asker& by) {
  Result<int64_t> job = db::JobRepository(db_).enqueue(server_id, kind, by.cause, by.user_id);
  if (!job.isOk()) return job.status();
  return poke(job.value());
}

Status AgentOperations::provision(int64_t server_id, const orchestration::Asker& by) {
  return queue(server_id, domain::JobKind::kCreate, by);
}

Status AgentOperations::wake(int64_t server_id, const orchestration::Asker& by) {
  return queue(server_id, domain::JobKind::kWake, by);
}

Status AgentOperations::hibernate(int64_t server_id, const orchestration::Asker& by) {
  return queue(server_id, domain::JobKind::kHibernate, by);
}

Status AgentOperations::destroy(int64_t server_id, const orchestration::Asker& by) {
  return queue(server_id, domain::JobKind::kDelete, by);
}

Status AgentOperations::poke(int64_t job_id) {
  // The job is safe in the table: an agent that misses this poke finds it on its next poll.
  Status poked = agent_.poke(job_id);
  if (!poked.isOk()) log::warn() << "job " << job_id << " queued, but the agent was not poked: " << poked.message();
  return Status::ok();
}

Status AgentOperations::backUp(int64_t server_id, int64_t backup_id, const orchestration::Asker& by) {
  return poke(db::JobRepository(db_).enqueueForBackup(server_id, backup_id, domain::JobKind::kBackup, by.cause, by.user_id));
}

Status AgentOperations::restore(int64_t server_id, int64_t backup_id, const orchestration::Asker& by) {
  Result<int64_t> job = db::JobRepository(db_).enqueue(server_id, domain::JobKind::kRestore, by.cause, by.user_id, backup_id);
  if (!job.isOk()) return job.status();
  return poke(job.value());
}

Status AgentOperations::deleteBackup(int64_t server_id, int64_t backup_id, const orchestration::Asker& by) {
  return poke(
      db::JobRepository(db_).enqueueForBackup(server_id, backup_id, domain::JobKind::kDeleteBackup, by.cause, by.user_id));
}

Result<orchestration::ServerLogs> AgentOperations::logs(int64_t server_id, int tail, int64_t since_unix) {
  return agent_.logs(server_id, tail, since_unix);
}

Result<orchestration::ServerStats> AgentOperations::stats(int64_t server_id) { return agent_.stats(server_id); }

Result<std::string> AgentOperations::backupDownloadUrl(int64_t server_id, int64_t backup_id) {
  return agent_.downloadUrl(server_id, backup_id);
}

Result<orchestration::ReconcileReport> AgentOperations::reconcile(int64_t at) { return agent_.reconcile(at); }

}  // namespace gsp::agentapi
