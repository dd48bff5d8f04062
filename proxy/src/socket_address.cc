#include "socket_address.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

namespace gsp::proxy {

uint16_t SocketAddress::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage)->sin_port);
  if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_port);
  return 0;
}

void SocketAddress::setPort(uint16_t port) {
  if (family() == AF_INET) reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
}

std::string SocketAddress::hostString() const {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage)->sin_addr, buf, sizeof buf);
  } else if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage)->sin6_addr, buf, sizeof buf);
  } else if (family() == AF_UNIX) {
    return reinterpret_cast<const sockaddr_un*>(&storage)->sun_path;
  }
  return buf;
}

std::string SocketAddress::toString() const {
  if (family() == AF_INET6) return "[" + hostString() + "]:" + std::to_string(port());
  if (family() == AF_INET) return hostString() + ":" + std::to_string(port());
  return hostString();
}

std::string SocketAddress::key() const {
  if (family() == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&storage);
    std::string k(6, '\0');
    memcpy(&k[0], &a->sin_addr, 4);
    memcpy(&k[4], &a->sin_port, 2);
    return k;
  }
  if (family() == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&storage);
    std::string k(18, '\0');
    memcpy(&k[0], &a->sin6_addr, 16);
    memcpy(&k[16], &a->sin6_port, 2);
    return k;
  }
  return std::string(reinterpret_cast<const char*>(&storage), length);
}

bool SocketAddress::fromNumeric(const std::string& host, uint16_t port, SocketAddress* out) {
  SocketAddress a;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.storage);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    a.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    a.length = sizeof(sockaddr_in6);
  } else {
    return false;
  }
  *out = a;
  return true;
}

bool SocketAddress::fromUnixPath(const std::string& path, SocketAddress* out) {
  SocketAddress a;
  auto* un = reinterpret_cast<sockaddr_un*>(&a.storage);
  if (path.size() >= sizeof(un->sun_path)) return false;
  un->sun_family = AF_UNIX;
  memcpy(un->sun_path, path.c_str(), path.size() + 1);
  a.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  *out = a;
  return true;
}

std::string errnoText(int err) { return strerror(err); }

Result<UniqueFd> listenTcp(const SocketAddress& addr, int backlog, bool reuse_port) {
  UniqueFd fd(socket(addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::unavailable("socket: " + errnoText(errno));
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (reuse_port) setsockopt(fd.get(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (addr.family() == AF_INET6) {
    int zero = 0;
    setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  }
  if (bind(fd.get(), addr.get(), addr.length) != 0)
    return Status::unavailable("bind tcp " + addr.toString() + ": " + errnoText(errno));
  if (listen(fd.get(), backlog) != 0)
    return Status::unavailable("listen tcp " + addr.toString() + ": " + errnoText(errno));
  return fd;
}

Result<UniqueFd> bindUdp(const SocketAddress& addr) {
  UniqueFd fd(socket(addr.family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::unavailable("socket: " + errnoText(errno));
  if (addr.family() == AF_INET6) {
    int zero = 0;
    setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  }
  if (bind(fd.get(), addr.get(), addr.length) != 0)
    return Status::unavailable("bind udp " + addr.toString() + ": " + errnoText(errno));
  return fd;
}

Result<UniqueFd> startConnect(const SocketAddress& addr, int type) {
  UniqueFd fd(socket(addr.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::unavailable("socket: " + errnoText(errno));
  if (connect(fd.get(), addr.get(), addr.length) != 0 && errno != EINPROGRESS)
    return Status::unavailable("connect " + addr.toString() + ": " + errnoText(errno));
  return fd;
}

int socketError(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) return errno;
  return err;
}

void setSocketBuffers(int fd, int rcvbuf, int sndbuf) {
  if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (sndbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf) != 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
}

}  // namespace gsp::proxy
