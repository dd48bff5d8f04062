#include "tcp_listener.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <cerrno>

#include "core/log.h"

namespace gsp::proxy {

TcpListener::TcpListener(ProxyContext& ctx, const PortMapping& mapping) : ctx_(ctx), mapping_(mapping) {}

Status TcpListener::listen(const std::string& address, bool shared) {
  SocketAddress addr;
  if (!SocketAddress::fromNumeric(address, mapping_.public_port, &addr))
    return Status::invalid("--listen-address: '" + address + "' is not an IP address");
  auto fd = listenTcp(addr, 4096, shared);
  if (!fd.isOk()) return fd.status();
  fd_ = std::move(fd.value());
  // Accepted sockets inherit TCP_NODELAY: game traffic is small messages.
  int one = 1;
  setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ctx_.loop.add(fd_.get(), EPOLLIN | EPOLLET, this);
  return Status::ok();
}

void TcpListener::onIo(uint32_t) {
  while (true) {
    SocketAddress peer;
    peer.length = sizeof(peer.storage);
    int fd = accept4(fd_.get(), peer.get(), &peer.length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      if (errno == ECONNABORTED) continue;
      // EMFILE and friends: the backlog keeps the client; retry shortly rather than spin.
      log::warn() << "accept on tcp port " << mapping_.public_port << ": " << errnoText(errno);
      ctx_.loop.remove(fd_.get());
      ctx_.loop.after(100, [this] {
        ctx_.loop.add(fd_.get(), EPOLLIN | EPOLLET, this);
        onIo(EPOLLIN);
      });
      return;
    }
    UniqueFd client(fd);
    if (ctx_.stats.liveClients() >= ctx_.config.max_clients) {
      ctx_.stats.refused_clients++;
      continue;  // closes it
    }
    auto session = std::make_unique<TcpSession>(ctx_, *this, std::move(client), peer, mapping_);
    TcpSession* raw = session.get();
    sessions_.emplace(raw, std::move(session));
    raw->start();
  }
}

void TcpListener::adopt(TcpHandOff h) {
  auto session = std::make_unique<TcpSession>(ctx_, *this, UniqueFd(h.fd), h.peer, mapping_, /*counted=*/true);
  TcpSession* raw = session.get();
  sessions_.emplace(raw, std::move(session));
  raw->startAdopted(std::move(h.held), h.client_eof, h.connect_attempts);
}

void TcpListener::sessionClosed(TcpSession* session) {
  auto it = sessions_.find(session);
  if (it == sessions_.end()) return;
  TcpSession* raw = it->second.release();
  sessions_.erase(it);
  ctx_.loop.defer([raw] { delete raw; });
}

}  // namespace gsp::proxy
