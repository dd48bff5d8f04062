#include "resolver.h"

#include <netdb.h>
#include <sys/eventfd.h>

#include <cstring>

namespace gsp::proxy {

Resolver::Resolver(EventLoop& loop) : loop_(loop), wakeup_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  loop_.add(wakeup_.get(), EPOLLIN, this);
}

Resolver::~Resolver() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  loop_.remove(wakeup_.get());
}

void Resolver::resolve(const std::string& host, Done done) {
  SocketAddress address;
  if (SocketAddress::fromNumeric(host, 0, &address)) {
    done(true, address);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(Job{host, std::move(done), false, {}});
    if (!worker_.joinable()) worker_ = std::thread([this] { workerMain(); });
  }
  cv_.notify_one();
}

void Resolver::workerMain() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    Job job = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    addrinfo* res = nullptr;
    if (getaddrinfo(job.host.c_str(), nullptr, &hints, &res) == 0 && res) {
      // Prefer IPv4: Docker networks are IPv4 unless configured otherwise.
      const addrinfo* pick = res;
      for (const addrinfo* a = res; a; a = a->ai_next) {
        if (a->ai_family == AF_INET) { pick = a; break; }
      }
      memcpy(&job.address.storage, pick->ai_addr, pick->ai_addrlen);
      job.address.length = static_cast<socklen_t>(pick->ai_addrlen);
      job.ok = true;
    }
    if (res) freeaddrinfo(res);
    lock.lock();
    finished_.push_back(std::move(job));
    uint64_t one = 1;
    ssize_t ignored = write(wakeup_.get(), &one, sizeof one);
    (void)ignored;
  }
}

void Resolver::onIo(uint32_t) {
  uint64_t count;
  ssize_t ignored = read(wakeup_.get(), &count, sizeof count);
  (void)ignored;
  std::deque<Job> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    done.swap(finished_);
  }
  for (auto& job : done) job.done(job.ok, job.address);
}

}  // namespace gsp::proxy
