#include "echo_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "core/log.h"
#include "datagram_batch.h"
#include "satisfactory_query.h"
#include "scratch_buffer.h"

namespace gsp::demo {

namespace {
constexpr uint32_t kEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;

void sendTo(int fd, const std::string& datagram, const SocketAddress& to) {
  sendto(fd, datagram.data(), datagram.size(), 0, to.get(), to.length);  // best effort, as UDP is
}
}  // namespace

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
      bool echo[proxy::DatagramBatch::kCapacity];
      for (int i = 0; i < n; ++i) {
        SocketAddress from = batch_.source(i);
        echo[i] = !answeredAsQuery(i, from);
        if (!echo[i]) continue;
        server_.state_.bytes_echoed += static_cast<int64_t>(batch_.length(i));
        if (known_.size() < 10000 && known_.insert(from.key()).second)
          log::info() << "udp player seen from " << from.toString();
      }
      int kept = batch_.pack(n, [&](int i) { return echo[i]; });  // back to each sender
      sendmmsg(fd_.get(), batch_.headers(), static_cast<unsigned>(kept), 0);
      if (n < proxy::DatagramBatch::kCapacity) return;
    }
  }

 private:
  bool answeredAsQuery(int i, const SocketAddress& from) {
    uint64_t cookie = 0;
    if (!server_.satisfactory_ || !proxy::parseSatisfactoryPoll(batch_.data(i), batch_.length(i), &cookie))
      return false;
    sendTo(fd_.get(),
           proxy::encodeSatisfactoryState(cookie, proxy::SatisfactoryState::kPlaying, server_.satisfactory_->net_cl,
                                          server_.satisfactory_->name),
           from);
    log::debug() << "satisfactory poll from " << from.toString() << " answered";
    return true;
  }

  EchoServer& server_;
  UniqueFd fd_;
  proxy::ScratchBuffer buffers_;
  proxy::DatagramBatch batch_;
  std::unordered_set<std::string> known_;
};

// The Steam query port, answering as a Steam game server does since Valve's
// Dec 2020 change: without the client's current challenge every request gets
// only S2C_CHALLENGE, which is no larger than the request, so a spoofed source
// cannot be sent an amplified answer. Challenges are stateless (see
// a2sChallenge): a random secret, 30 s buckets, good for 30-60 s. Anything
// that is not an A2S request is dropped. Level-triggered, at most kBurst
// datagrams a wake-up, so a flood cannot starve the game's own sockets.
class EchoServer::A2sPort : public IoHandler {
 public:
  A2sPort(EchoServer& server, UniqueFd fd, const proxy::A2sInfo& info)
      : server_(server), fd_(std::move(fd)), info_answer_(proxy::encodeA2sInfo(info)) {
    std::random_device random;
    for (auto& byte : secret_) byte = static_cast<uint8_t>(random());
    server_.loop_.add(fd_.get(), EPOLLIN, this);
  }

  void onIo(uint32_t) override {
    char buf[proxy::kA2sMaxDatagram + 1];  // one byte more: a longer datagram shows as oversize
    for (int burst = 0; burst < kBurst; ++burst) {
      SocketAddress from;
      from.length = sizeof from.storage;
      ssize_t n = recvfrom(fd_.get(), buf, sizeof buf, 0, from.get(), &from.length);
      if (n < 0) return;
      proxy::A2sRequest request = proxy::parseA2sRequest(buf, static_cast<size_t>(n));
      if (request.kind == proxy::A2sKind::kNotA2s) continue;
      auto bucket = static_cast<uint64_t>(server_.loop_.nowMs() / kChallengeBucketMs);
      std::string client = from.key();
      if (!request.has_challenge || !proxy::a2sChallengeValid(secret_, client, bucket, request.challenge)) {
        sendTo(fd_.get(), proxy::encodeA2sChallenge(proxy::a2sChallenge(secret_, client, bucket)), from);
        log::debug() << "a2s " << kindName(request.kind) << " from " << from.toString() << ": challenge sent";
        continue;
      }
      if (request.kind == proxy::A2sKind::kInfo) sendTo(fd_.get(), info_answer_, from);
      else if (request.kind == proxy::A2sKind::kPlayer) sendTo(fd_.get(), proxy::encodeA2sPlayersEmpty(), from);
      else sendTo(fd_.get(), proxy::encodeA2sRulesEmpty(), from);
      log::debug() << "a2s " << kindName(request.kind) << " from " << from.toString() << " answered";
    }
  }

 private:
  static constexpr int kBurst = 64;
  static constexpr int64_t kChallengeBucketMs = 30000;

  static const char* kindName(proxy::A2sKind kind) {
    switch (kind) {
      case proxy::A2sKind::kInfo: return "info";
      case proxy::A2sKind::kPlayer: return "players";
      case proxy::A2sKind::kRules: return "rules";
      case proxy::A2sKind::kNotA2s: break;
    }
    return "?";
  }

  EchoServer& server_;
  UniqueFd fd_;
  const std::string info_answer_;  // the info never changes: no players join through a query
  proxy::SipHashKey secret_;
};

EchoServer::EchoServer(EventLoop& loop, SaveState& state) : loop_(loop), state_(state), buffer_(256 * 1024) {}

EchoServer::~EchoServer() {
  connections_.clear();
  udp_.reset();
  a2s_.reset();
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

Status EchoServer::bindA2s(const SocketAddress& addr, const proxy::A2sInfo& info) {
  auto fd = proxy::bindUdp(addr);
  if (!fd.isOk()) return fd.status();
  a2s_ = std::make_unique<A2sPort>(*this, std::move(fd.value()), info);
  return Status::ok();
}

void EchoServer::answerSatisfactoryPolls(const std::string& name, uint32_t net_cl) {
  satisfactory_ = SatisfactoryAnswer{name, net_cl};
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
