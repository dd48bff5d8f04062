// TcpListener: one public TCP port on one loop. Accepts clients (up to
// --max-clients across the proxy) and owns their TcpSessions until each one
// finishes. With several loops each has its own listener on the port
// (SO_REUSEPORT: the kernel spreads connections). Its loop's thread only.
#pragma once

#include <memory>
#include <unordered_map>

#include "proxy_context.h"
#include "tcp_session.h"

namespace gsp::proxy {

class TcpListener : public IoHandler {
 public:
  TcpListener(ProxyContext& ctx, const PortMapping& mapping);

  // `shared`: other loops listen on the same port (SO_REUSEPORT).
  Status listen(const std::string& address, bool shared);
  // Takes over a client that a worker loop handed to this (control) loop.
  void adopt(TcpHandOff handoff);
  const PortMapping& mapping() const { return mapping_; }
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
