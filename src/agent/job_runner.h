// JobRunner: takes QUEUED jobs from the jobs table and runs them on a fixed
// pool of worker threads, each with its own database connection and
// orchestrator. Bounded concurrency: one job per server at a time (the table's
// unique key), at most `max_jobs` at once overall, and slow kinds (create,
// hibernate, delete) never take the last two workers, so a player's wake does
// not queue behind eight hibernates. A poke takes a job at once; a poll every
// `poll_interval` catches pokes that never came.
//
// start() first puts back to QUEUED every job left RUNNING: only a killed
// agent leaves one, and every job resumes from where it stopped.
// Thread-safe: poke() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/config.h"
#include "db/database.h"

namespace gsp::agent {

class JobRunner {
 public:
  // Runs one claimed job on the calling worker thread (which owns a Database
  // and an orchestrator made for it); database errors may escape.
  using Work = std::function<void(int64_t job_id)>;
  // Called once on each worker thread to make that thread's Work.
  using WorkFactory = std::function<Work()>;

  JobRunner(const Config& config, WorkFactory make_work);
  ~JobRunner();

  // Recovers what a killed agent left, then starts the dispatcher and workers.
  void start();
  // A job was queued: look at the queue now.
  void poke();
  // Stops taking jobs and waits up to `grace` for running ones. False when
  // some still run: they resume at the next start.
  bool stop(std::chrono::milliseconds grace);

 private:
  void dispatchLoop();
  void workerLoop();
  // Claims queued jobs while workers are free. Runs on the dispatcher thread.
  void fill(db::Database& db);
  // Puts a job whose run threw back in the queue (on a fresh connection).
  void releaseAfterError(int64_t job_id);

  // Constant after construction.
  const Config& config_;
  const WorkFactory make_work_;
  const int max_jobs_;
  const int max_slow_jobs_;
  const std::chrono::milliseconds poll_interval_;

  std::mutex mu_;
  std::condition_variable dispatch_cv_;  // pokes, freed workers, stop
  std::condition_variable work_cv_;      // claimed jobs, stop
  bool poked_ = false;                   // guarded by mu_
  bool stopping_ = false;                // guarded by mu_
  int busy_ = 0;                         // guarded by mu_: workers with a job
  int busy_slow_ = 0;                    // guarded by mu_: of which slow kinds
  struct Claimed {
    int64_t id;
    bool slow;
  };
  std::deque<Claimed> ready_;            // guarded by mu_: claimed, not yet taken by a worker
  std::vector<std::thread> threads_;
};

}  // namespace gsp::agent
