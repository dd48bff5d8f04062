// The FastCGI transport of gsp-web: a listening socket (its own unix socket or
// one handed over by systemd), N worker threads that each accept, parse and
// answer requests with their own database connection, and an orderly shutdown
// on SIGTERM/SIGINT (stop accepting, finish in-flight requests, exit 0).
#pragma once

#include <atomic>

#include "core/config.h"
#include "orchestration/stats_sampler.h"
#include "web/app.h"
#include "web/views.h"

namespace gsp::web {

class FcgiServer {
 public:
  FcgiServer(const Config& config, const App& app, const Views& views);

  // Blocks until a shutdown signal; returns the process exit code.
  // Must be called from the main thread before any other thread exists.
  int run();

 private:
  int openListenSocket();
  void workerLoop(int listen_fd);

  const Config& config_;
  const App& app_;
  const Views& views_;
  std::atomic<bool> stopping_{false};
  orchestration::StatsSampler stats_;  // shared by the workers
};

}  // namespace gsp::web
