// gsp-proxy: the sidecar of one game server. Reads its configuration, binds
// the public ports and runs the event loop until SIGTERM or SIGINT.
#include <signal.h>
#include <sys/resource.h>
#include <sys/signalfd.h>

#include <cstdio>
#include <iostream>

#include "core/log.h"
#include "event_loop.h"
#include "proxy.h"
#include "environment.h"
#include "proxy_config.h"

using namespace gsp;
using namespace gsp::proxy;

namespace {

// Stops the loop on SIGTERM/SIGINT, read through a signalfd (no handler races).
class SignalStopper : public IoHandler {
 public:
  explicit SignalStopper(EventLoop& loop) : loop_(loop) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    fd_.reset(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    loop_.add(fd_.get(), EPOLLIN, this);
  }
  void onIo(uint32_t) override {
    signalfd_siginfo info;
    if (read(fd_.get(), &info, sizeof info) == sizeof info)
      log::info() << "signal " << info.ssi_signo << ": stopping";
    loop_.stop();
  }

 private:
  EventLoop& loop_;
  UniqueFd fd_;
};

void raiseFileLimit() {
  rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

int main(int argc, char** argv) {
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
    SignalStopper stopper(loop);
    Proxy proxy(loop, config);
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
