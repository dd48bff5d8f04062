// SocketAddress: an IPv4/IPv6 (or unix) socket address as a plain value, plus
// the socket helpers gsp-proxy needs (non-blocking listen/connect). Stateless
// functions; thread-compatible values.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "core/status.h"
#include "unique_fd.h"

namespace gsp::proxy {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
  int family() const { return storage.ss_family; }
  uint16_t port() const;
  void setPort(uint16_t port);
  // "1.2.3.4:5", "[::1]:5" or the unix path.
  std::string toString() const;
  // Address without port, e.g. "203.0.113.7".
  std::string hostString() const;
  // Compact bytes identifying (family, address, port): a hash-map key.
  std::string key() const;

  static bool fromNumeric(const std::string& host, uint16_t port, SocketAddress* out);
  static bool fromUnixPath(const std::string& path, SocketAddress* out);
};

// Non-blocking, close-on-exec sockets. Errors name the address and errno text.
// `reuse_port`: several sockets (one per loop) listen on the same port.
Result<UniqueFd> listenTcp(const SocketAddress& addr, int backlog, bool reuse_port = false);
Result<UniqueFd> bindUdp(const SocketAddress& addr);
// Starts a non-blocking connect; the fd becomes writable when it completes.
Result<UniqueFd> startConnect(const SocketAddress& addr, int type);
// The pending error of a socket (SO_ERROR), 0 when none.
int socketError(int fd);
// Best-effort buffer sizing (uses the *FORCE variants when privileged).
void setSocketBuffers(int fd, int rcvbuf, int sndbuf);
std::string errnoText(int err);

}  // namespace gsp::proxy
