#include "event_loop.h"

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <time.h>

#include "core/log.h"

namespace gsp::proxy {

EventLoop::EventLoop()
    : epoll_(epoll_create1(EPOLL_CLOEXEC)), now_ms_(monotonicMs()), mailbox_fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  mailbox_.loop = this;
  add(mailbox_fd_.get(), EPOLLIN, &mailbox_);
}

void EventLoop::post(Task task) {
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    posted_.push_back(std::move(task));
  }
  uint64_t one = 1;
  ssize_t ignored = write(mailbox_fd_.get(), &one, sizeof one);
  (void)ignored;
}

void EventLoop::Mailbox::onIo(uint32_t) {
  uint64_t count;
  ssize_t ignored = read(loop->mailbox_fd_.get(), &count, sizeof count);
  (void)ignored;
  std::vector<Task> tasks;
  {
    std::lock_guard<std::mutex> lock(loop->posted_mu_);
    tasks.swap(loop->posted_);
  }
  for (auto& task : tasks) task();
}

int64_t EventLoop::monotonicMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

bool EventLoop::add(int fd, uint32_t events, IoHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool EventLoop::modify(int fd, uint32_t events, IoHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  return epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) == 0;
}

void EventLoop::remove(int fd) { epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

EventLoop::TimerId EventLoop::after(int64_t delay_ms, Task task) {
  TimerId id = next_timer_id_++;
  auto pos = timers_by_deadline_.emplace(now_ms_ + delay_ms, id);
  timers_.emplace(id, Timer{pos, std::move(task)});
  return id;
}

void EventLoop::cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  timers_by_deadline_.erase(it->second.position);
  timers_.erase(it);
}

void EventLoop::defer(Task task) { deferred_.push_back(std::move(task)); }

int EventLoop::nextTimeoutMs() const {
  if (!deferred_.empty()) return 0;
  if (timers_by_deadline_.empty()) return -1;
  int64_t wait = timers_by_deadline_.begin()->first - monotonicMs();
  if (wait < 0) return 0;
  return wait > 3600000 ? 3600000 : static_cast<int>(wait) + 1;
}

void EventLoop::runTimers() {
  while (!timers_by_deadline_.empty() && timers_by_deadline_.begin()->first <= now_ms_) {
    TimerId id = timers_by_deadline_.begin()->second;
    auto it = timers_.find(id);
    Task task = std::move(it->second.task);
    timers_by_deadline_.erase(timers_by_deadline_.begin());
    timers_.erase(it);
    task();
  }
}

void EventLoop::runDeferred() {
  while (!deferred_.empty()) {
    std::vector<Task> batch;
    batch.swap(deferred_);
    for (auto& task : batch) task();
  }
}

void EventLoop::run() {
  running_ = true;
  constexpr int kBatch = 256;
  epoll_event events[kBatch];
  while (running_) {
    int n = epoll_wait(epoll_.get(), events, kBatch, nextTimeoutMs());
    if (n < 0 && errno != EINTR) {
      log::error() << "epoll_wait failed, errno " << errno;
      return;
    }
    now_ms_ = monotonicMs();
    for (int i = 0; i < n; ++i) {
      static_cast<IoHandler*>(events[i].data.ptr)->onIo(events[i].events);
    }
    runDeferred();
    runTimers();
    runDeferred();
  }
}

}  // namespace gsp::proxy
