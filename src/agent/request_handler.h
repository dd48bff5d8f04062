// Answers the agent's requests (agentapi/agent_protocol.h) after the server
// checked the peer: ping, poke (hand over to the job runner), and a server's
// console and usage, a lifecycle pass's reconcile (read through the orchestrator, after checking the server
// exists). Never throws: a database error becomes an error reply.
// One per connection thread (its own Database and orchestrator); not thread-safe.
#pragma once

#include <functional>
#include <string>

#include "agentapi/agent_protocol.h"
#include "db/database.h"
#include "orchestration/docker_orchestrator.h"

namespace gsp::agent {

class RequestHandler {
 public:
  // `poke` tells the job runner to look at the queue.
  // `usage` is the process's meter for the reconcile's samples.
  RequestHandler(db::Database& db, orchestration::DockerOrchestrator& orchestrator, orchestration::UsageMeter& usage,
                 std::function<void()> poke);

  // The reply to one decoded request.
  std::string handle(const agentapi::AgentRequest& request);

 private:
  std::string answer(const agentapi::AgentRequest& request);

  db::Database& db_;
  orchestration::DockerOrchestrator& orchestrator_;
  orchestration::UsageMeter& usage_;
  const std::function<void()> poke_;
};

}  // namespace gsp::agent
