// BackendClient: sends signed webhook calls (wake, activity) to the backend
// without blocking the loop. Owns the calls in flight; each completion callback
// runs once on the loop thread. Single-threaded.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "http_post.h"
#include "proxy_config.h"
#include "resolver.h"

namespace gsp::proxy {

class BackendClient {
 public:
  // `status`: HTTP status, 0 when the backend could not be reached.
  using Done = std::function<void(int status, const std::string& error)>;

  BackendClient(EventLoop& loop, Resolver& resolver, const ProxyConfig& config);
  ~BackendClient();

  // Signs `body` with the current time and POSTs it to `url`.
  void post(const BackendUrl& url, const std::string& body, Done done);

 private:
  EventLoop& loop_;
  Resolver& resolver_;
  const ProxyConfig& config_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::unique_ptr<HttpPost>> in_flight_;
};

}  // namespace gsp::proxy
