// The FastCGI transport of gsp-web: a listening socket (its own unix socket or
// one handed over by systemd), N worker threads that each accept, parse and
// answer requests with their own database connection, and an orderly shutdown
// on SIGTERM/SIGINT (stop accepting, finish in-flight requests, exit 0).
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "core/config.h"
#include "db/database.h"
#include "orchestration/server_operations.h"
#include "web/app.h"
#include "web/views.h"

namespace gsp::web {

class FcgiServer {
 public:
  // Makes a worker's ServerOperations on that worker's Database (main wires it).
  using OperationsFactory = std::function<std::unique_ptr<orchestration::ServerOperations>(db::Database&)>;

  FcgiServer(const Config& config, const App& app, const Views& views, OperationsFactory make_operations);

  // Blocks until a shutdown signal; returns the process exit code.
  // Must be called from the main thread before any other thread exists.
  int run();

 private:
  int openListenSocket();
  void workerLoop(int listen_fd);

  const Config& config_;
  const App& app_;
  const Views& views_;
  const OperationsFactory make_operations_;
  std::atomic<bool> stopping_{false};
};

}  // namespace gsp::web
