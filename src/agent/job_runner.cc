#include "agent/job_runner.h"

#include <cppconn/exception.h>

#include "core/log.h"
#include "db/database.h"
#include "db/job_repository.h"

namespace gsp::agent {

JobRunner::JobRunner(const Config& config, WorkFactory make_work)
    : config_(config),
      make_work_(std::move(make_work)),
      max_jobs_(config.agent_max_jobs),
      max_slow_jobs_(std::max(1, config.agent_max_jobs - 2)),
      poll_interval_(config.agent_poll_ms) {}

JobRunner::~JobRunner() {
  if (!threads_.empty()) stop(std::chrono::milliseconds(0));
}

void JobRunner::start() {
  {
    db::Database db(config_.database);
    int left = db::JobRepository(db).requeueRunning("Resuming after the agent restarted");
    if (left > 0) log::warn() << left << " job(s) were running when the agent stopped; resuming them";
  }
  for (int i = 0; i < max_jobs_; ++i) threads_.emplace_back([this] { workerLoop(); });
  threads_.emplace_back([this] { dispatchLoop(); });
}

void JobRunner::poke() {
  std::lock_guard<std::mutex> lock(mu_);
  poked_ = true;
  dispatch_cv_.notify_one();
}

bool JobRunner::stop(std::chrono::milliseconds grace) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  dispatch_cv_.notify_all();
  work_cv_.notify_all();
  // Jobs claimed but not started go back for the next agent.
  auto deadline = std::chrono::steady_clock::now() + grace;
  std::unique_lock<std::mutex> lock(mu_);
  while (busy_ > 0 && std::chrono::steady_clock::now() < deadline) {
    lock.unlock();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    lock.lock();
  }
  bool idle = busy_ == 0;
  lock.unlock();
  if (!idle) {
    // The running jobs resume at the next start; their threads die with the process.
    for (std::thread& t : threads_) t.detach();
  } else {
    for (std::thread& t : threads_) t.join();
  }
  threads_.clear();
  return idle;
}

void JobRunner::fill(db::Database& db) {
  int free_workers, free_slow;
  {
    std::lock_guard<std::mutex> lock(mu_);
    free_workers = max_jobs_ - busy_ - static_cast<int>(ready_.size());
    int slow_taken = busy_slow_;
    for (const Claimed& c : ready_) slow_taken += c.slow ? 1 : 0;
    free_slow = max_slow_jobs_ - slow_taken;
  }
  if (free_workers <= 0) return;
  db::JobRepository jobs(db);
  // A few more than there are free workers: some may be slow ones that must wait.
  for (const db::JobRepository::Queued& q : jobs.queued(max_jobs_ * 2)) {
    if (free_workers <= 0) break;
    bool slow = !domain::isUrgent(q.kind);
    if (slow && free_slow <= 0) continue;
    if (!jobs.claim(q.id)) continue;  // another agent took it
    --free_workers;
    if (slow) --free_slow;
    std::lock_guard<std::mutex> lock(mu_);
    ready_.push_back({q.id, slow});
    work_cv_.notify_one();
  }
}

void JobRunner::releaseAfterError(int64_t job_id) {
  // Its attempts are counted: a job that fails like this every time ends FAILED.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  try {
    db::Database db(config_.database);
    db::JobRepository(db).release(job_id);
  } catch (const std::exception& e) {
    log::error() << "job " << job_id << " stays RUNNING until the agent restarts: " << e.what();
  }
}

void JobRunner::dispatchLoop() {
  db::DatabaseThread thread;
  {
    db::Database db(config_.database);
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        dispatch_cv_.wait_for(lock, poll_interval_, [this] { return poked_ || stopping_; });
        if (stopping_) break;
        poked_ = false;
      }
      try {
        fill(db);
      } catch (const sql::SQLException& e) {
        log::error() << "taking jobs: database error " << e.getErrorCode() << ": " << e.what();
        db.disconnect();  // the next round reconnects
      }
    }
  }
}

void JobRunner::workerLoop() {
  {
    Work work = make_work_();
    for (;;) {
      Claimed job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        work_cv_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
        if (stopping_) break;  // claimed jobs left in ready_ are requeued at the next start
        job = ready_.front();
        ready_.pop_front();
        ++busy_;
        if (job.slow) ++busy_slow_;
      }
      try {
        work(job.id);
      } catch (const std::exception& e) {
        log::error() << "job " << job.id << ": " << e.what() << "; it will be tried again";
        releaseAfterError(job.id);
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        --busy_;
        if (job.slow) --busy_slow_;
        poked_ = true;  // a worker is free: look at the queue
      }
      dispatch_cv_.notify_one();
    }
  }
}

}  // namespace gsp::agent
