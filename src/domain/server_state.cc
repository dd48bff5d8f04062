#include "domain/server_state.h"

namespace gsp::domain {

namespace {
struct Named {
  ServerState state;
  const char* name;
};
const Named kNames[] = {
    {ServerState::kCreating, "CREATING"}, {ServerState::kSleeping, "SLEEPING"},
    {ServerState::kStarting, "STARTING"}, {ServerState::kRunning, "RUNNING"},
    {ServerState::kStopping, "STOPPING"}, {ServerState::kError, "ERROR"},
    {ServerState::kDeleting, "DELETING"}, {ServerState::kDeleted, "DELETED"},
};
}  // namespace

const char* stateName(ServerState state) {
  for (const Named& n : kNames) {
    if (n.state == state) return n.name;
  }
  return "ERROR";
}

std::optional<ServerState> parseState(const std::string& name) {
  for (const Named& n : kNames) {
    if (name == n.name) return n.state;
  }
  return std::nullopt;
}

bool canWake(ServerState s) { return s == ServerState::kSleeping || s == ServerState::kError; }

bool canHibernate(ServerState s) {
  return s == ServerState::kStarting || s == ServerState::kRunning || s == ServerState::kError;
}

bool canDelete(ServerState s) {
  return s != ServerState::kCreating && s != ServerState::kDeleting && s != ServerState::kDeleted;
}

bool isBilled(ServerState s) { return s == ServerState::kStarting || s == ServerState::kRunning; }

std::string refusal(const std::string& action, ServerState s) {
  switch (s) {
    case ServerState::kCreating: return "The server is still being created; try to " + action + " it in a moment.";
    case ServerState::kStarting: return "The server is already starting.";
    case ServerState::kRunning: return "The server is already running.";
    case ServerState::kSleeping: return "The server is already asleep.";
    case ServerState::kStopping: return "The server is going to sleep; wait until it is asleep.";
    case ServerState::kDeleting:
    case ServerState::kDeleted: return "The server is being deleted.";
    case ServerState::kError: break;
  }
  return "The server cannot " + action + " right now.";
}

}  // namespace gsp::domain
