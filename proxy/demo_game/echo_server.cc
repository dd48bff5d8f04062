#include "echo_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/log.h"

namespace gsp::demo {

namespace {
constexpr uint32_t kEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
}

// One TCP client: echo with backpressure and half-close (EOF from the client
// is answered with EOF once every echoed byte is written).
class EchoServer::Connection : public IoHandler {
 public:
  Connection(EchoServer& server, UniqueFd fd, const SocketAddress& peer)
      : server_(server), fd_(std::move(fd)), peer_(peer) {}
  ~Connection() override { server_.loop_.remove(fd_.get()); }

  void start() {
    server_.loop_.add(fd_.get(), kEvents, this);
    log::info() << "player joined from " << peer_.toString();
  }

  void onIo(uint32_t) override {
    if (closed_) return;
    char* buf = server_.buffer_.data();
    size_t size = server_.buffer_.size();
    while (true) {
      while (off_ < pending_.size()) {
        ssize_t n = send(fd_.get(), pending_.data() + off_, pending_.size() - off_, MSG_NOSIGNAL);
        if (n < 0) {
          if (errno == EAGAIN) return;
          return close("write error");
        }
        off_ += static_cast<size_t>(n);
        server_.state_.bytes_echoed += n;
      }
      pending_.clear();
      off_ = 0;
      if (eof_) {
        shutdown(fd_.get(), SHUT_WR);
        return close("left");
      }
      ssize_t n = recv(fd_.get(), buf, size, 0);
      if (n > 0) {
        ssize_t w = send(fd_.get(), buf, static_cast<size_t>(n), MSG_NOSIGNAL);
        if (w < 0) {
          if (errno != EAGAIN) return close("write error");
          w = 0;
        }
        server_.state_.bytes_echoed += w;
        if (w < n) pending_.assign(buf + w, static_cast<size_t>(n - w));
        continue;
      }
      if (n == 0) {
        eof_ = true;
        continue;
      }
      if (errno == EAGAIN) return;
      return close("connection reset");
    }
  }

 private:
  void close(const char* how) {
    closed_ = true;
    log::info() << "player " << peer_.toString() << " " << how;
    server_.closed(this);
  }

  EchoServer& server_;
  UniqueFd fd_;
  SocketAddress peer_;
  std::string pending_;
  size_t off_ = 0;
  bool eof_ = false;
  bool closed_ = false;
};

// The UDP port: each datagram goes straight back to its sender, in batches.
class EchoServer::UdpSocket : public IoHandler {
 public:
  static constexpr int kBatch = 32;
  static constexpr size_t kSlot = 65536;

  UdpSocket(EchoServer& server, UniqueFd fd) : server_(server), fd_(std::move(fd)), buffers_(kBatch * kSlot) {
    server_.loop_.add(fd_.get(), EPOLLIN | EPOLLET, this);
  }
  ~UdpSocket() override { server_.loop_.remove(fd_.get()); }

  void onIo(uint32_t) override {
    mmsghdr msgs[kBatch];
    iovec iovs[kBatch];
    sockaddr_storage addrs[kBatch];
    while (true) {
      for (int i = 0; i < kBatch; ++i) {
        iovs[i] = {buffers_.data() + i * kSlot, kSlot};
        memset(&msgs[i].msg_hdr, 0, sizeof(msghdr));
        msgs[i].msg_hdr.msg_name = &addrs[i];
        msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
        msgs[i].msg_hdr.msg_iov = &iovs[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
      }
      int n = recvmmsg(fd_.get(), msgs, kBatch, MSG_DONTWAIT, nullptr);
      if (n <= 0) return;
      for (int i = 0; i < n; ++i) {
        iovs[i].iov_len = msgs[i].msg_len;
        server_.state_.bytes_echoed += msgs[i].msg_len;
        SocketAddress from;
        memcpy(&from.storage, &addrs[i], msgs[i].msg_hdr.msg_namelen);
        from.length = msgs[i].msg_hdr.msg_namelen;
        if (known_.size() < 10000 && known_.insert(from.key()).second)
          log::info() << "udp player seen from " << from.toString();
      }
      sendmmsg(fd_.get(), msgs, static_cast<unsigned>(n), 0);
      if (n < kBatch) return;
    }
  }

 private:
  EchoServer& server_;
  UniqueFd fd_;
  std::vector<char> buffers_;
  std::unordered_set<std::string> known_;
};

EchoServer::EchoServer(EventLoop& loop, SaveState& state) : loop_(loop), state_(state), buffer_(256 * 1024) {}

EchoServer::~EchoServer() {
  connections_.clear();
  udp_.reset();
  if (listen_fd_.valid()) loop_.remove(listen_fd_.get());
}

Status EchoServer::listenTcp(const SocketAddress& addr) {
  auto fd = proxy::listenTcp(addr, 1024);
  if (!fd.isOk()) return fd.status();
  listen_fd_ = std::move(fd.value());
  loop_.add(listen_fd_.get(), EPOLLIN | EPOLLET, this);
  return Status::ok();
}

Status EchoServer::bindUdp(const SocketAddress& addr) {
  auto fd = proxy::bindUdp(addr);
  if (!fd.isOk()) return fd.status();
  proxy::setSocketBuffers(fd.value().get(), 4 << 20, 4 << 20);
  udp_ = std::make_unique<UdpSocket>(*this, std::move(fd.value()));
  return Status::ok();
}

void EchoServer::onIo(uint32_t) {
  while (true) {
    SocketAddress peer;
    peer.length = sizeof peer.storage;
    int fd = accept4(listen_fd_.get(), peer.get(), &peer.length, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == ECONNABORTED || errno == EINTR) continue;
      return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    state_.joins++;
    auto c = std::make_unique<Connection>(*this, UniqueFd(fd), peer);
    Connection* raw = c.get();
    connections_.emplace(raw, std::move(c));
    raw->start();
  }
}

void EchoServer::closed(Connection* c) {
  auto it = connections_.find(c);
  if (it == connections_.end()) return;
  Connection* raw = it->second.release();
  connections_.erase(it);
  loop_.defer([raw] { delete raw; });
}

}  // namespace gsp::demo
