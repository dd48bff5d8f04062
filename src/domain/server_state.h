// The states of a game server and the rules for moving between them
// (ARCHITECTURE.md, "Server states"). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

namespace gsp::domain {

enum class ServerState {
  kCreating,  // rows written, Docker objects being made
  kSleeping,  // proxy up, game container stopped
  kStarting,  // game container started, not yet accepting players
  kRunning,   // game accepting players (billed)
  kStopping,  // game container being stopped (world save)
  kError,     // something failed; the message says what; retry allowed
  kDeleting,  // Docker objects being removed
  kDeleted,   // gone; the row stays for the ledger
};

const char* stateName(ServerState state);  // "SLEEPING", as stored in the database
std::optional<ServerState> parseState(const std::string& name);

// Which user actions a state allows.
bool canWake(ServerState state);       // SLEEPING, ERROR
bool canHibernate(ServerState state);  // STARTING, RUNNING, ERROR
bool canDelete(ServerState state);     // anything but CREATING, DELETING, DELETED
// A state in which the game container runs and costs money.
bool isBilled(ServerState state);      // STARTING, RUNNING

// The message shown when an action is refused in `state`.
std::string refusal(const std::string& action, ServerState state);

}  // namespace gsp::domain
