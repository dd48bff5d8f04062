// gsp-lifecycle: the platform's economic loop, one pass per run, started every
// minute by gsp-lifecycle.timer (and by the local run command's loop):
//   gsp-lifecycle [options] tick [--now=UNIX_SECONDS]
// --now sets the pass's clock (tests simulate hours with it). It opens no
// Docker socket: the hibernates it decides on are jobs for gsp-agent.
#include <cppconn/exception.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "agentapi/agent_operations.h"
#include "core/config.h"
#include "core/log.h"
#include "db/database.h"
#include "lifecycle/lifecycle_pass.h"

namespace {

const char kUsage[] =
    "Usage: gsp-lifecycle [options] tick [--now=UNIX_SECONDS]\n\n"
    "One pass: have the agent reconcile the engine with the database (repairs, orphans,\n"
    "usage samples), charge the running servers' hours, put to sleep those whose owner\n"
    "cannot pay and those nobody played on, warn users low on credit, roll up stats.\n\n";

// Takes --now=N out of argv (it is not a configuration option); -1 when absent, -2 when malformed.
int64_t takeNow(std::vector<char*>* args) {
  int64_t now = -1;
  for (auto it = args->begin(); it != args->end();) {
    std::string a = *it;
    if (a.rfind("--now=", 0) != 0) {
      ++it;
      continue;
    }
    std::string v = a.substr(6);
    now = (!v.empty() && v.size() < 12 && v.find_first_not_of("0123456789") == std::string::npos) ? std::stoll(v) : -2;
    it = args->erase(it);
  }
  return now;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  std::vector<char*> args(argv, argv + argc);
  int64_t now = takeNow(&args);
  if (now == -2) {
    fprintf(stderr, "gsp-lifecycle: --now takes unix seconds, like --now=1764500000\n");
    return 2;
  }
  std::vector<std::string> positional;
  gsp::ConfigLoad load = gsp::loadConfig(static_cast<int>(args.size()), args.data(), envp, &positional,
                                         gsp::ConfigFor::kLifecycle);
  if (load.outcome == gsp::ConfigLoad::Outcome::kHelp) {
    printf("%s%s", kUsage, load.text.c_str());
    return 0;
  }
  if (load.outcome == gsp::ConfigLoad::Outcome::kError) {
    fprintf(stderr, "gsp-lifecycle: %s\n", load.text.c_str());
    return 2;
  }
  if (positional.size() != 1 || positional[0] != "tick") {
    fprintf(stderr, "%s", kUsage);
    return 2;
  }
  const gsp::Config& config = load.config;
  gsp::log::Level level;
  gsp::log::parseLevel(config.log_level, &level);
  gsp::log::setLevel(level);
  if (now < 0) now = static_cast<int64_t>(time(nullptr));

  try {
    gsp::db::Database db(config.database);
    gsp::agentapi::AgentOperations servers(config, db);
    gsp::lifecycle::LifecyclePass pass(config, db, servers);
    gsp::lifecycle::PassReport r = pass.run(now);
    if (r.ran) {
      gsp::log::info() << "pass at " << now << ": " << r.charged << " hour(s) charged, " << r.out_of_credits
                       << " out of credits, " << r.idle << " idle, " << r.warned << " user(s) warned; reconcile: "
                       << (r.reconciled ? std::to_string(r.reconcile.servers) + " servers, " +
                                              std::to_string(r.reconcile.repairs) + " repair(s), " +
                                              std::to_string(r.reconcile.orphans_removed) + " orphan(s) removed, " +
                                              std::to_string(r.reconcile.sampled) + " sampled, " +
                                              std::to_string(r.reconcile.docker_calls) + " docker calls"
                                        : std::string("skipped"))
                       << "; " << r.daily_backups << " daily backup(s) queued; " << r.rolled_up << " hour(s) rolled up, " << r.pruned << " old stats row(s) removed, " << r.sessions_purged << " expired session(s) purged; "
                       << r.round_trips << " statements";
    }
    return 0;
  } catch (const sql::SQLException& e) {
    // Nothing is left half-done (every step is its own transaction): the next pass goes on.
    fprintf(stderr, "gsp-lifecycle: database error %d: %s\n", e.getErrorCode(), e.what());
    return 1;
  }
}
