#include "agent/request_handler.h"

#include <cppconn/exception.h>

#include "core/log.h"

namespace gsp::agent {

using agentapi::Operation;

RequestHandler::RequestHandler(db::Database& db, orchestration::DockerOrchestrator& orchestrator,
                               orchestration::UsageMeter& usage, std::function<void()> poke)
    : db_(db), orchestrator_(orchestrator), usage_(usage), poke_(std::move(poke)) {}

std::string RequestHandler::answer(const agentapi::AgentRequest& r) {
  switch (r.op) {
    case Operation::kPing:
      return agentapi::encodeOk();
    case Operation::kPoke:
      poke_();
      return agentapi::encodeOk();
    case Operation::kLogs: {
      Result<orchestration::ServerLogs> logs = orchestrator_.logs(r.server, r.tail, r.since);
      return logs.isOk() ? agentapi::encodeLogs(logs.value()) : agentapi::encodeError(logs.status());
    }
    case Operation::kStats: {
      Result<orchestration::ServerStats> stats = orchestrator_.stats(r.server);
      return stats.isOk() ? agentapi::encodeStats(stats.value()) : agentapi::encodeError(stats.status());
    }
    case Operation::kReconcile: {
      Result<orchestration::ReconcileReport> report = orchestrator_.reconcile(r.at, usage_);
      if (!report.isOk()) return agentapi::encodeError(report.status());
      if (report->repairs > 0) poke_();
      return agentapi::encodeReconcile(report.value());
    }
    case Operation::kDownloadUrl: {
      Result<std::string> url = orchestrator_.backupDownloadUrl(r.server, r.backup);
      return url.isOk() ? agentapi::encodeUrl(url.value()) : agentapi::encodeError(url.status());
    }
    case Operation::kPull: {
      Status pulled = orchestrator_.pullCatalogImage(r.game);
      return pulled.isOk() ? agentapi::encodeOk() : agentapi::encodeError(pulled);
    }
  }
  return agentapi::encodeError(Status::invalid("unknown operation"));
}

std::string RequestHandler::handle(const agentapi::AgentRequest& request) {
  for (int attempt = 1;; ++attempt) {
    try {
      return answer(request);
    } catch (const sql::SQLException& e) {
      bool lost = db::isConnectionLost(e);
      db_.disconnect();
      if (lost && attempt == 1) continue;  // reconnect and answer once more
      log::error() << "request " << agentapi::operationName(request.op) << ": database error " << e.getErrorCode()
                   << ": " << e.what();
      return agentapi::encodeError(Status::unavailable("The database is not answering; try again in a moment."));
    } catch (const std::exception& e) {
      log::error() << "request " << agentapi::operationName(request.op) << ": " << e.what();
      return agentapi::encodeError(Status::internal("The agent could not answer."));
    }
  }
}

}  // namespace gsp::agent
