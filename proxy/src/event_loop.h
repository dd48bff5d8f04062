// EventLoop: a single-threaded epoll reactor with one-shot timers and deferred
// tasks. Handlers are registered per fd and must outlive their registration;
// objects that close during a dispatch batch free themselves through defer(),
// so a later event of the same batch never touches freed memory.
// Not thread-safe: every call comes from the loop's own thread, except post().
#pragma once

#include <sys/epoll.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "unique_fd.h"

namespace gsp::proxy {

// Receives readiness for one registered fd; `events` is the EPOLL* mask.
// An object watching several fds registers one IoHandler per fd.
class IoHandler {
 public:
  virtual ~IoHandler() = default;
  virtual void onIo(uint32_t events) = 0;
};

class EventLoop {
 public:
  using TimerId = uint64_t;
  using Task = std::function<void()>;

  EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  bool ok() const { return epoll_.valid(); }

  // Edge-triggered unless the caller leaves EPOLLET out of `events`.
  bool add(int fd, uint32_t events, IoHandler* handler);
  bool modify(int fd, uint32_t events, IoHandler* handler);
  void remove(int fd);

  // Runs `task` once after `delay_ms`; cancel() before then drops it.
  TimerId after(int64_t delay_ms, Task task);
  void cancel(TimerId id);

  // Runs `task` after the current dispatch batch (used for deferred frees).
  void defer(Task task);

  // Thread-safe: runs `task` on this loop's thread soon (another thread's
  // way in: hand-offs between loops, stop requests).
  void post(Task task);

  // Milliseconds on the monotonic clock, sampled once per loop iteration.
  int64_t nowMs() const { return now_ms_; }
  static int64_t monotonicMs();

  // Dispatches until stop(). Returns when stopped.
  void run();
  void stop() { running_ = false; }

 private:
  int nextTimeoutMs() const;
  void runTimers();
  void runDeferred();

  // Drains post()ed tasks when the eventfd fires.
  struct Mailbox : IoHandler {
    EventLoop* loop = nullptr;
    void onIo(uint32_t events) override;
  };

  UniqueFd epoll_;
  bool running_ = false;
  int64_t now_ms_ = 0;
  TimerId next_timer_id_ = 1;
  std::multimap<int64_t, TimerId> timers_by_deadline_;
  struct Timer {
    std::multimap<int64_t, TimerId>::iterator position;
    Task task;
  };
  std::unordered_map<TimerId, Timer> timers_;
  std::vector<Task> deferred_;

  UniqueFd mailbox_fd_;  // eventfd
  Mailbox mailbox_;
  std::mutex posted_mu_;
  std::vector<Task> posted_;  // guarded by posted_mu_
};

// LoopTimer: the one-shot timer slot of an object. start() (re)arms it,
// cancel() and the destructor disarm it, so a callback never outlives its
// owner. Loop thread only.
class LoopTimer {
 public:
  explicit LoopTimer(EventLoop& loop) : loop_(loop) {}
  ~LoopTimer() { cancel(); }
  LoopTimer(const LoopTimer&) = delete;
  LoopTimer& operator=(const LoopTimer&) = delete;

  void start(int64_t delay_ms, EventLoop::Task task) {
    cancel();
    id_ = loop_.after(delay_ms, [this, task = std::move(task)] {
      id_ = 0;
      task();  // may destroy the owner: nothing after this line
    });
  }
  void cancel() {
    if (id_) loop_.cancel(id_);
    id_ = 0;
  }
  bool pending() const { return id_ != 0; }

 private:
  EventLoop& loop_;
  EventLoop::TimerId id_ = 0;
};

}  // namespace gsp::proxy
