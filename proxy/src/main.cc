// gsp-proxy: the sidecar of one game server. Reads its configuration, binds
// the public ports and runs the event loop until SIGTERM or SIGINT.
// `gsp-proxy notify game-started|game-stopped`, run inside its container
// (an exec), passes the platform's news to the proxy as SIGUSR1/SIGUSR2.
#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <iostream>
#include <string>

#include "core/log.h"
#include "environment.h"
#include "event_loop.h"
#include "proxy.h"
#include "proxy_config.h"
#include "signal_watcher.h"

using namespace gsp;
using namespace gsp::proxy;

namespace {

void raiseFileLimit() {
  rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

// The proxy is PID 1 of its container; its SignalWatcher lets these through.
int notify(const std::string& news) {
  int sig = news == "game-started" ? SIGUSR1 : news == "game-stopped" ? SIGUSR2 : 0;
  if (sig == 0) {
    std::cerr << "gsp-proxy notify: say game-started or game-stopped\n";
    return 2;
  }
  if (kill(1, sig) != 0) {
    std::perror("gsp-proxy notify: kill 1");
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "notify") return notify(argv[2]);
  try {
    ProxyConfigLoad load = loadProxyConfig(argc, argv, processEnvironment());
    if (load.outcome == ProxyConfigLoad::Outcome::kHelp) {
      std::cout << load.message;
      return 0;
    }
    if (load.outcome == ProxyConfigLoad::Outcome::kError) {
      std::cerr << "gsp-proxy: " << load.message << "\n(see gsp-proxy --help)\n";
      return 2;
    }
    const ProxyConfig& config = load.config;
    log::Level level;
    log::parseLevel(config.log_level, &level);
    log::setLevel(level);
    signal(SIGPIPE, SIG_IGN);
    raiseFileLimit();

    EventLoop loop;
    if (!loop.ok()) {
      log::error() << "epoll_create1 failed";
      return 1;
    }
    SignalWatcher stopper(loop, {SIGTERM, SIGINT}, [&loop](int sig) {
      log::info() << "signal " << sig << ": stopping";
      loop.stop();
    });
    Proxy proxy(loop, config);
    // Before start(): the worker threads inherit the blocked signal.
    SignalWatcher game_signals(loop, {SIGUSR1, SIGUSR2}, [&proxy](int sig) {
      if (sig == SIGUSR1) {
        log::info() << "SIGUSR1: the game was started";
        proxy.upstreamStarting();
      } else {
        log::info() << "SIGUSR2: the game was stopped";
        proxy.upstreamStopped();
      }
    });
    Status s = proxy.start();
    if (!s.isOk()) {
      log::error() << s.message();
      return 1;
    }
    log::info() << "gsp-proxy ready (server " << config.server_id << ", relay "
                << (config.relay_mode == RelayMode::kSplice ? "splice" : "copy")
                << (config.minecraft ? ", minecraft-aware" : "") << ")";
    loop.run();
    return 0;
  } catch (const std::exception& e) {
    log::error() << "fatal: " << e.what();
    return 1;
  }
}
