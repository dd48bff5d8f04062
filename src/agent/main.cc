// gsp-agent: the privileged helper, the only program that opens the Docker
// socket (ARCHITECTURE.md, "Processes" and "Security model"). It runs the jobs
// that the other programs queue and answers their narrow requests on its own
// socket. Wiring only: every piece is built here and nowhere else.
#include <grp.h>
#include <pwd.h>
#include <signal.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <sstream>
#include <thread>

#include "agent/agent_server.h"
#include "agent/job_executor.h"
#include "agent/job_runner.h"
#include "agent/request_handler.h"
#include "core/config.h"
#include "core/log.h"
#include "orchestration/docker_orchestrator.h"
#include "orchestration/stats_sampler.h"

namespace {

using namespace gsp;

// What one thread that acts on servers owns, in construction order.
struct ServerThread {
  ServerThread(const Config& config, orchestration::StatsSampler& stats)
      : db(config.database), orchestrator(config, db, orchestration::connectDocker(config), stats) {}
  db::DatabaseThread thread;
  db::Database db;
  orchestration::DockerOrchestrator orchestrator;
};

// The uids of agent.allowed-users (root is always allowed: it owns the host).
bool resolveUsers(const Config& config, std::vector<uid_t>* uids, gid_t* group, std::string* error) {
  uids->push_back(0);
  std::stringstream names(config.agent_allowed_users);
  std::string name;
  while (std::getline(names, name, ',')) {
    if (name.empty()) continue;
    struct passwd* pw = getpwnam(name.c_str());
    if (!pw) {
      *error = "agent.allowed-users: no user named '" + name + "'";
      return false;
    }
    uids->push_back(pw->pw_uid);
  }
  struct group* gr = getgrnam(config.agent_socket_group.c_str());
  if (!gr) {
    *error = "agent.socket-group: no group named '" + config.agent_socket_group + "'";
    return false;
  }
  *group = gr->gr_gid;
  return true;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  ConfigLoad load = loadConfig(argc, argv, envp, nullptr, ConfigFor::kAgent);
  if (load.outcome == ConfigLoad::Outcome::kHelp) {
    printf("Usage: gsp-agent [options]\n\n%s", load.text.c_str());
    return 0;
  }
  if (load.outcome == ConfigLoad::Outcome::kError) {
    fprintf(stderr, "gsp-agent: %s\n", load.text.c_str());
    return 2;
  }
  const Config& config = load.config;
  log::Level level;
  log::parseLevel(config.log_level, &level);
  log::setLevel(level);

  agent::AgentServerOptions options;
  options.socket_path = config.agent_socket;
  std::string error;
  if (!resolveUsers(config, &options.allowed_uids, &options.socket_group, &error)) {
    fprintf(stderr, "gsp-agent: %s\n", error.c_str());
    return 2;
  }

  // Signals go to one thread (sigwait); every other thread blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    orchestration::StatsSampler stats;
    orchestration::UsageMeter usage;
    agent::JobRunner runner(config, [&config, &stats]() -> agent::JobRunner::Work {
      auto own = std::make_shared<ServerThread>(config, stats);
      auto executor = std::make_shared<agent::JobExecutor>(config, own->db, own->orchestrator);
      return [own, executor](int64_t job_id) { executor->run(job_id); };
    });
    agent::AgentServer server(options, [&config, &stats, &usage, &runner]() -> agent::AgentServer::Handler {
      auto own = std::make_shared<ServerThread>(config, stats);
      auto handler = std::make_shared<agent::RequestHandler>(own->db, own->orchestrator, usage,
                                                              [&runner] { runner.poke(); });
      return [own, handler](const agentapi::AgentRequest& r) { return handler->handle(r); };
    });
    Status listening = server.listen();
    if (!listening.isOk()) {
      fprintf(stderr, "gsp-agent: %s\n", listening.message().c_str());
      return 1;
    }
    runner.start();
    log::info() << "gsp-agent ready on " << config.agent_socket << " with " << config.agent_max_jobs << " job workers";

    std::thread waiter([&server, &signals] {
      int sig = 0;
      sigwait(&signals, &sig);
      log::info() << "signal " << sig << ": stopping";
      server.stop();
    });
    server.serve();
    waiter.join();
    // Jobs still running after the grace resume at the next start (they are written to).
    bool idle = runner.stop(std::chrono::seconds(config.servers_stop_grace_seconds + 5));
    log::info() << (idle ? "gsp-agent stopped" : "gsp-agent stopped with jobs running; they resume at the next start");
    if (!idle) _exit(0);
    return 0;
  } catch (const std::exception& e) {
    fprintf(stderr, "gsp-agent: %s\n", e.what());
    return 1;
  }
}
