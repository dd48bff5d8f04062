// HttpPost: one non-blocking HTTP/1.1 request (Connection: close) over TCP or a
// unix socket, driven by the event loop: connect, write, read to EOF, report the
// status code. Owned by BackendClient; single-threaded (loop thread).
#pragma once

#include <functional>
#include <string>

#include "event_loop.h"
#include "socket_address.h"

namespace gsp::proxy {

class HttpPost : public IoHandler {
 public:
  // Status code of the response, or 0 when the call failed (refused, timed out, garbage).
  using Done = std::function<void(int status, const std::string& error)>;

  HttpPost(EventLoop& loop, std::string request, int64_t timeout_ms, Done done);
  HttpPost(const HttpPost&) = delete;
  HttpPost& operator=(const HttpPost&) = delete;

  // Connects to `address`; `done` runs exactly once, from the loop.
  void start(const SocketAddress& address);
  // Fails the call without connecting (e.g. the host did not resolve).
  void fail(const std::string& error);

  void onIo(uint32_t events) override;

 private:
  void finish(int status, const std::string& error);

  EventLoop& loop_;
  std::string request_;
  size_t written_ = 0;
  std::string response_;
  int64_t timeout_ms_;
  Done done_;
  UniqueFd fd_;
  LoopTimer timer_{loop_};
  bool connected_ = false;
  bool finished_ = false;
};

}  // namespace gsp::proxy
