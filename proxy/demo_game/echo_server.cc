#include "echo_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/log.h"
#include "datagram_batch.h"
#include "scratch_buffer.h"

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
  static constexpr size_t kSlot = 65536;

  UdpSocket(EchoServer& server, UniqueFd fd)
      : server_(server), fd_(std::move(fd)), buffers_(proxy::DatagramBatch::kCapacity * kSlot) {
    server_.loop_.add(fd_.get(), EPOLLIN | EPOLLET, this);
  }

  void onIo(uint32_t) override {
    while (true) {
      int n = batch_.receive(fd_.get(), buffers_.data(), kSlot, /*with_sources=*/true);
      if (n <= 0) return;
      for (int i = 0; i < n; ++i) {
        server_.state_.bytes_echoed += static_cast<int64_t>(batch_.length(i));
        SocketAddress from = batch_.source(i);
        if (known_.size() < 10000 && known_.insert(from.key()).second)
          log::info() << "udp player seen from " << from.toString();
      }
      int kept = batch_.pack(n, [](int) { return true; });  // back to each sender
      sendmmsg(fd_.get(), batch_.headers(), static_cast<unsigned>(kept), 0);
      if (n < proxy::DatagramBatch::kCapacity) return;
    }
  }

 private:
  EchoServer& server_;
  UniqueFd fd_;
  proxy::ScratchBuffer buffers_;
  proxy::DatagramBatch batch_;
  std::unordered_set<std::string> known_;
};

EchoServer::EchoServer(EventLoop& loop, SaveState& state) : loop_(loop), state_(state), buffer_(256 * 1024) {}

EchoServer::~EchoServer() {
  connections_.clear();
  udp_.reset();
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
