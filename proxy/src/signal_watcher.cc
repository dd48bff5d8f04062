#include "signal_watcher.h"

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace gsp::proxy {

namespace {
void ignoreHere(int) {}
}  // namespace

SignalWatcher::SignalWatcher(EventLoop& loop, std::initializer_list<int> signals,
                             std::function<void(int)> on_signal)
    : on_signal_(std::move(on_signal)) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) {
    sigaddset(&set, s);
    // In its container the proxy is PID 1, and the kernel drops signals sent
    // to a namespace's PID 1 from inside (`gsp-proxy notify`) while their
    // disposition is the default. A handler (never run: the signal is
    // blocked and read from the signalfd) lets them through.
    struct sigaction action = {};
    action.sa_handler = ignoreHere;
    sigemptyset(&action.sa_mask);
    sigaction(s, &action, nullptr);
  }
  sigprocmask(SIG_BLOCK, &set, nullptr);
  fd_.reset(signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
  loop.add(fd_.get(), EPOLLIN, this);
}

void SignalWatcher::onIo(uint32_t) {
  signalfd_siginfo info;
  while (read(fd_.get(), &info, sizeof info) == static_cast<ssize_t>(sizeof info))
    on_signal_(static_cast<int>(info.ssi_signo));
}

}  // namespace gsp::proxy
