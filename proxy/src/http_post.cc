#include "http_post.h"

#include <cerrno>

#include "webhook_request.h"

namespace gsp::proxy {

namespace {
constexpr size_t kMaxResponse = 64 * 1024;
}

HttpPost::HttpPost(EventLoop& loop, std::string request, int64_t timeout_ms, Done done)
    : loop_(loop), request_(std::move(request)), timeout_ms_(timeout_ms), done_(std::move(done)) {}

void HttpPost::start(const SocketAddress& address) {
  auto fd = startConnect(address, SOCK_STREAM);
  if (!fd.isOk()) {
    loop_.defer([this, msg = fd.status().message()] { finish(0, msg); });
    return;
  }
  fd_ = std::move(fd.value());
  loop_.add(fd_.get(), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, this);
  timer_.start(timeout_ms_, [this] {
    finish(0, "timed out after " + std::to_string(timeout_ms_) + " ms");
  });
}

void HttpPost::fail(const std::string& error) {
  loop_.defer([this, error] { finish(0, error); });
}

void HttpPost::onIo(uint32_t events) {
  if (finished_) return;
  if (!connected_) {
    int err = socketError(fd_.get());
    if (err != 0) return finish(0, "connect: " + errnoText(err));
    connected_ = true;
  }
  while (written_ < request_.size()) {
    ssize_t n = send(fd_.get(), request_.data() + written_, request_.size() - written_, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN) return;
      return finish(0, "send: " + errnoText(errno));
    }
    written_ += static_cast<size_t>(n);
  }
  char buf[4096];
  while (true) {
    ssize_t n = recv(fd_.get(), buf, sizeof buf, 0);
    if (n > 0) {
      if (response_.size() < kMaxResponse) response_.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EAGAIN) return;
    break;  // EOF or error: judge what arrived
  }
  int status = parseHttpStatus(response_);
  finish(status, status ? "" : "malformed or empty response");
}

void HttpPost::finish(int status, const std::string& error) {
  if (finished_) return;
  finished_ = true;
  timer_.cancel();
  fd_.reset();  // closing also drops it from epoll
  Done done = std::move(done_);
  done(status, error);  // may destroy this
}

}  // namespace gsp::proxy
