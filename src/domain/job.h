// Jobs: the operations on a server that gsp-agent runs for the other programs
// (ARCHITECTURE.md, "Processes"), their states, and which server states let
// each one start or resume. Pure; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "domain/server_state.h"

namespace gsp::domain {

enum class JobKind {
  kCreate,     // make the server's network, volume and containers (pulling images)
  kWake,       // start the game container
  kHibernate,  // stop the game container, its world saved
  kDelete,     // remove every Docker object of the server
  kRepair,     // look at the server's containers and fix what disagrees with its row (reconcile)
  kBackup,     // stream the game's data to the backup target (does not hold the server)
  kRestore,    // put a backup's data in place of the server's (asleep; holds the server)
  kDeleteBackup,  // remove a backup's object from its target (does not hold the server)
};

enum class JobState {
  kQueued,   // written by the asker, not yet taken by the agent
  kRunning,  // the agent works on it (again, after a restart of the agent)
  kDone,
  kFailed,   // the message says why
};

const char* jobKindName(JobKind kind);  // "WAKE", as stored
std::optional<JobKind> parseJobKind(const std::string& name);
const char* jobStateName(JobState state);
std::optional<JobState> parseJobState(const std::string& name);

// What the job is doing, for people: "Waking up", "Going to sleep".
std::string jobTitle(JobKind kind);
// The verb of refusal(): "wake", "sleep".
std::string jobAction(JobKind kind);

// Waking takes a server out of the queue behind slow jobs: a player waits on it.
bool isUrgent(JobKind kind);

// What a job finds when it starts (or resumes after the agent was killed):
enum class JobStep {
  kBegin,     // the server is where the job begins: move it on and act
  kResume,    // the server is in this job's own passing state: act again (every act is idempotent)
  kNothing,   // the server is already where the job leads: done, nothing to do
  kRefuse,    // the server's state does not allow the job
};
JobStep jobStep(JobKind kind, ServerState state);

// The passing state a job moves a server through ("STARTING" for a wake).
ServerState passingState(JobKind kind);

}  // namespace gsp::domain
