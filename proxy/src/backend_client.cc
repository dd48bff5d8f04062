#include "backend_client.h"

#include <ctime>

#include "webhook_request.h"

namespace gsp::proxy {

BackendClient::BackendClient(EventLoop& loop, Resolver& resolver, const ProxyConfig& config)
    : loop_(loop), resolver_(resolver), config_(config) {}

BackendClient::~BackendClient() = default;

void BackendClient::post(const BackendUrl& url, const std::string& body, Done done) {
  uint64_t id = next_id_++;
  std::string request = buildWebhookRequest(url, config_.server_id, config_.secret, time(nullptr), body);
  auto call = std::make_unique<HttpPost>(
      loop_, std::move(request), config_.webhook_timeout_ms,
      [this, id, done = std::move(done)](int status, const std::string& error) {
        done(status, error);
        // The HttpPost is still on the stack: free it after this dispatch.
        auto it = in_flight_.find(id);
        if (it != in_flight_.end()) {
          HttpPost* raw = it->second.release();
          in_flight_.erase(it);
          loop_.defer([raw] { delete raw; });
        }
      });
  HttpPost* raw = call.get();
  in_flight_.emplace(id, std::move(call));
  if (url.is_unix) {
    SocketAddress address;
    if (!SocketAddress::fromUnixPath(url.unix_path, &address)) return raw->fail("bad unix socket path");
    return raw->start(address);
  }
  uint16_t port = url.port;
  resolver_.resolve(url.host, [this, id, port, host = url.host](bool ok, const SocketAddress& resolved) {
    auto it = in_flight_.find(id);
    if (it == in_flight_.end()) return;
    if (!ok) return it->second->fail("cannot resolve " + host);
    SocketAddress address = resolved;
    address.setPort(port);
    it->second->start(address);
  });
}

}  // namespace gsp::proxy
