#include "domain/job.h"

namespace gsp::domain {

namespace {

struct KindName {
  JobKind kind;
  const char* name;
  const char* title;
  const char* action;
};
const KindName kKinds[] = {
    {JobKind::kCreate, "CREATE", "Creating the server", "be created"},
    {JobKind::kWake, "WAKE", "Waking up", "wake"},
    {JobKind::kHibernate, "HIBERNATE", "Going to sleep", "sleep"},
    {JobKind::kDelete, "DELETE", "Deleting the server", "delete"},
    {JobKind::kRepair, "REPAIR", "Checking the server", "check"},
    {JobKind::kBackup, "BACKUP", "Backing up", "back up"},
    {JobKind::kRestore, "RESTORE", "Restoring a backup", "restore"},
    {JobKind::kDeleteBackup, "DELETE_BACKUP", "Deleting a backup", "delete a backup of"},
};

struct StateName {
  JobState state;
  const char* name;
};
const StateName kStates[] = {
    {JobState::kQueued, "QUEUED"}, {JobState::kRunning, "RUNNING"},
    {JobState::kDone, "DONE"}, {JobState::kFailed, "FAILED"},
};

}  // namespace

const char* jobKindName(JobKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "WAKE";
}

std::optional<JobKind> parseJobKind(const std::string& name) {
  for (const KindName& k : kKinds) {
    if (name == k.name) return k.kind;
  }
  return std::nullopt;
}

const char* jobStateName(JobState state) {
  for (const StateName& s : kStates) {
    if (s.state == state) return s.name;
  }
  return "FAILED";
}

std::optional<JobState> parseJobState(const std::string& name) {
  for (const StateName& s : kStates) {
    if (name == s.name) return s.state;
  }
  return std::nullopt;
}

std::string jobTitle(JobKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.title;
  }
  return "Working";
}

std::string jobAction(JobKind kind) {
  for (const KindName& k : kKinds) {
    if (k.kind == kind) return k.action;
  }
  return "change";
}

bool isUrgent(JobKind kind) { return kind == JobKind::kWake; }

ServerState passingState(JobKind kind) {
  switch (kind) {
    case JobKind::kCreate: return ServerState::kCreating;
    case JobKind::kWake: return ServerState::kStarting;
    case JobKind::kHibernate: return ServerState::kStopping;
    case JobKind::kDelete: return ServerState::kDeleting;
    case JobKind::kRepair:
    case JobKind::kBackup:
    case JobKind::kRestore:
    case JobKind::kDeleteBackup:
      break;  // no passing state of their own
  }
  return ServerState::kError;
}

JobStep jobStep(JobKind kind, ServerState state) {
  if (kind == JobKind::kDeleteBackup) return JobStep::kBegin;  // an object on the target; the server may be gone
  if (kind == JobKind::kBackup) {
    // Taken from a game that sleeps or runs; not while objects are made or removed.
    bool busy = state == ServerState::kCreating || state == ServerState::kDeleting || state == ServerState::kDeleted;
    return busy ? JobStep::kRefuse : JobStep::kBegin;
  }
  if (kind == JobKind::kRestore) {
    // Asleep, or put to sleep first ("sleep and restore").
    bool can = state == ServerState::kSleeping || state == ServerState::kError || canHibernate(state);
    return can ? JobStep::kBegin : JobStep::kRefuse;
  }
  if (kind == JobKind::kRepair) {
    // It acts from whatever state it finds, except while objects are made or removed.
    bool busy = state == ServerState::kCreating || state == ServerState::kDeleting || state == ServerState::kDeleted;
    return busy ? JobStep::kNothing : JobStep::kBegin;
  }
  if (state == passingState(kind)) return kind == JobKind::kCreate ? JobStep::kBegin : JobStep::kResume;
  switch (kind) {
    case JobKind::kCreate:
      return JobStep::kRefuse;  // only a CREATING server is made
    case JobKind::kWake:
      if (state == ServerState::kRunning) return JobStep::kNothing;
      return canWake(state) ? JobStep::kBegin : JobStep::kRefuse;
    case JobKind::kHibernate:
      if (state == ServerState::kSleeping) return JobStep::kNothing;
      return canHibernate(state) ? JobStep::kBegin : JobStep::kRefuse;
    case JobKind::kDelete:
      if (state == ServerState::kDeleted) return JobStep::kNothing;
      return canDelete(state) ? JobStep::kBegin : JobStep::kRefuse;
    case JobKind::kRepair:
    case JobKind::kBackup:
    case JobKind::kRestore:
    case JobKind::kDeleteBackup:
      break;
  }
  return JobStep::kRefuse;
}

}  // namespace gsp::domain
