// TcpListener: one public TCP port. Accepts clients (up to --max-clients
// across the proxy) and owns their TcpSessions until each one finishes.
// Loop thread only.
#pragma once

#include <memory>
#include <unordered_map>

#include "proxy_context.h"
#include "tcp_session.h"

namespace gsp::proxy {

class TcpListener : public IoHandler {
 public:
  TcpListener(ProxyContext& ctx, const PortMapping& mapping);

  Status listen(const std::string& address);
  void onIo(uint32_t events) override;
  // Called by a session from its finish(); the session is freed after this dispatch.
  void sessionClosed(TcpSession* session);
  size_t sessionCount() const { return sessions_.size(); }

 private:
  ProxyContext& ctx_;
  PortMapping mapping_;
  UniqueFd fd_;
  std::unordered_map<TcpSession*, std::unique_ptr<TcpSession>> sessions_;
};

}  // namespace gsp::proxy
