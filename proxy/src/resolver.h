// Resolver: turns a host name into an address without blocking the event loop.
// Numeric addresses answer at once; names go to one worker thread running
// getaddrinfo (Docker's embedded DNS answers the game's alias only while the
// game container runs, so a name is resolved again whenever it is needed).
// The loop-facing API is single-threaded; the worker shares only the queues,
// guarded by mu_. Callbacks run on the loop thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "event_loop.h"
#include "socket_address.h"

namespace gsp::proxy {

class Resolver : public IoHandler {
 public:
  // `ok` false: the name does not resolve (yet); `address` has port 0.
  using Done = std::function<void(bool ok, const SocketAddress& address)>;

  explicit Resolver(EventLoop& loop);
  ~Resolver() override;
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // Runs `done` on the loop thread (possibly before this returns, for numeric hosts).
  void resolve(const std::string& host, Done done);

  void onIo(uint32_t events) override;

 private:
  struct Job {
    std::string host;
    Done done;
    bool ok = false;
    SocketAddress address;
  };
  void workerMain();

  EventLoop& loop_;
  UniqueFd wakeup_;  // eventfd: worker -> loop
  std::thread worker_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;       // guarded by mu_
  std::deque<Job> pending_;     // guarded by mu_
  std::deque<Job> finished_;    // guarded by mu_
};

}  // namespace gsp::proxy
