#include "upstream_probe.h"

#include <cerrno>

namespace gsp::proxy {

UpstreamProbe::UpstreamProbe(EventLoop& loop, Protocol protocol, const SocketAddress& address,
                             int64_t window_ms, Done done)
    : loop_(loop), protocol_(protocol), done_(std::move(done)) {
  auto fd = startConnect(address, protocol == Protocol::kTcp ? SOCK_STREAM : SOCK_DGRAM);
  if (!fd.isOk()) {
    loop_.defer([this] { finish(false); });
    return;
  }
  fd_ = std::move(fd.value());
  if (protocol_ == Protocol::kUdp) {
    if (send(fd_.get(), "", 0, 0) < 0) {
      loop_.defer([this] { finish(false); });
      return;
    }
    loop_.add(fd_.get(), EPOLLIN | EPOLLERR, this);
  } else {
    loop_.add(fd_.get(), EPOLLOUT | EPOLLRDHUP, this);
  }
  // TCP: no answer within the window counts as not ready. UDP: silence is ready.
  timer_.start(window_ms, [this] {
    finish(protocol_ == Protocol::kUdp && socketError(fd_.get()) == 0);
  });
}

void UpstreamProbe::onIo(uint32_t events) {
  if (finished_) return;
  if (protocol_ == Protocol::kTcp) {
    finish(socketError(fd_.get()) == 0 && !(events & (EPOLLERR | EPOLLHUP)));
    return;
  }
  // UDP: an error (ECONNREFUSED) or any reply settles it.
  char buf[1];
  ssize_t n = recv(fd_.get(), buf, sizeof buf, MSG_DONTWAIT);
  if (n < 0 && errno == EAGAIN) return;
  finish(n >= 0);
}

void UpstreamProbe::finish(bool ready) {
  if (finished_) return;
  finished_ = true;
  timer_.cancel();
  fd_.reset();  // closing also drops it from epoll
  Done done = std::move(done_);
  done(ready);  // may destroy this
}

}  // namespace gsp::proxy
