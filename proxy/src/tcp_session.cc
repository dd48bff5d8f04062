#include "tcp_session.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/log.h"
#include "tcp_listener.h"

namespace gsp::proxy {

namespace {
constexpr uint32_t kEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
constexpr int64_t kGreetingTimeoutMs = 10000;
constexpr int kMaxConnectAttempts = 3;
constexpr int kPipeSize = 1 << 18;
constexpr size_t kSpliceChunk = 1 << 18;
}  // namespace

void TcpSession::Side::onIo(uint32_t events) {
  if (client) session->onClientIo(events);
  else session->onUpstreamIo(events);
}

TcpSession::TcpSession(ProxyContext& ctx, TcpListener& owner, UniqueFd client, const SocketAddress& peer,
                       const PortMapping& mapping, bool counted)
    : ctx_(ctx), owner_(owner), client_(std::move(client)), peer_(peer), mapping_(mapping) {
  client_side_.session = this;
  client_side_.client = true;
  upstream_side_.session = this;
  if (!counted) {
    ctx_.stats.tcp_connections++;
    if (ctx_.on_player_joined) ctx_.on_player_joined();
  }
}

TcpSession::~TcpSession() {
  // Normally finish() ran already; at shutdown the fds close through their owners.
  if (ctx_.waker) ctx_.waker->release(this);
  releaseHold();
}

void TcpSession::releaseHold() {
  if (ctx_.hold_budget) ctx_.hold_budget->give(charged_);
  charged_ = 0;
}

void TcpSession::start() {
  ctx_.loop.add(client_.get(), kEvents, &client_side_);
  SocketAddress up;
  if (ctx_.view.up(&up)) {  // fast path: the game runs
    if (ctx_.config.minecraft) return startSniffing(up);
    noteTraffic();
    return connectUpstream(up);
  }
  noteTraffic();
  if (!ctx_.waker) return handOff();                  // waiting is the control loop's job
  if (ctx_.config.minecraft) return startGreeting();
  hold();
}

void TcpSession::startAdopted(std::string held, bool client_eof, int connect_attempts) {
  ctx_.loop.add(client_.get(), kEvents, &client_side_);
  held_ = std::move(held);
  if (ctx_.hold_budget) ctx_.hold_budget->charge(static_cast<int64_t>(held_.size()));
  charged_ = static_cast<int64_t>(held_.size());
  client_eof_ = client_eof;
  connect_attempts_ = connect_attempts;
  hold_full_ = static_cast<int64_t>(held_.size()) >= ctx_.config.hold_buffer_bytes;
  SocketAddress up;
  if (ctx_.view.up(&up)) return connectUpstream(up);
  if (ctx_.config.minecraft) {
    startGreeting();
    if (!held_.empty() || client_eof_) greet();  // what the worker read may be the whole greeting
    return;
  }
  hold();
}

void TcpSession::setNonPlayer(bool non_player) {
  if (non_player == non_player_) return;
  non_player_ = non_player;
  if (non_player) ctx_.stats.tcp_non_players++;
  else ctx_.stats.tcp_non_players--;
}

void TcpSession::startSniffing(const SocketAddress& upstream) {
  state_ = State::kSniffing;
  sniff_upstream_ = upstream;
  setNonPlayer(true);
  timer_.start(kGreetingTimeoutMs, [this] { finish("no minecraft handshake in time"); });
}

void TcpSession::sniff() {
  if (held_.empty()) {
    if (client_eof_) finish("client left before its handshake");
    return;
  }
  bool login = false;
  if (static_cast<unsigned char>(held_[0]) != 0xFE) {  // 0xFE: a legacy server-list ping
    minecraft::Frame frame;
    minecraft::Parse p = minecraft::readFrame(held_, minecraft::kMaxGreetingFrame, &frame);
    if (p == minecraft::Parse::kNeedMore && !client_eof_ &&
        static_cast<int64_t>(held_.size()) < ctx_.config.hold_buffer_bytes)
      return;  // the rest of the handshake is on its way
    minecraft::Handshake h;
    login = p == minecraft::Parse::kOk && frame.id == 0 &&
            minecraft::parseHandshake(frame.body, &h) == minecraft::Parse::kOk &&
            (h.next_state == 2 || h.next_state == 3);
  }
  timer_.cancel();
  if (login) {
    setNonPlayer(false);
    noteTraffic();
  }
  // Either way the game answers it, the handshake replayed first.
  connectUpstream(sniff_upstream_);
}

void TcpSession::startGreeting() {
  state_ = State::kGreeting;
  setNonPlayer(true);  // a status ping, until it turns out to be a login
  greeter_ = std::make_unique<MinecraftGreeter>(ctx_.view.waking() ? ctx_.config.minecraft_starting_motd
                                                                    : ctx_.config.minecraft_sleeping_motd);
  timer_.start(kGreetingTimeoutMs, [this] { finish("no minecraft handshake in time"); });
  // The handshake arrives as client events.
}

void TcpSession::handOff() {
  state_ = State::kClosed;
  timer_.cancel();
  upstream_.reset();
  ctx_.loop.remove(client_.get());  // the fd lives on, on the control loop
  TcpHandOff h;
  h.fd = client_.release();
  h.peer = peer_;
  h.mapping = mapping_;
  h.held = std::move(held_);
  h.client_eof = client_eof_;
  h.connect_attempts = connect_attempts_;
  owner_.sessionClosed(this);
  ctx_.hand_off(std::move(h));  // still counted in tcp_connections: adopted as counted
}

void TcpSession::onClientIo(uint32_t events) {
  switch (state_) {
    case State::kGreeting:
      if (!readIntoHold(events)) return;
      greet();
      return;
    case State::kSniffing:
      if (!readIntoHold(events)) return;
      sniff();
      return;
    case State::kConnecting:
    case State::kHeld:
    case State::kProbing:
      readIntoHold(events);
      return;
    case State::kRelaying:
      if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
        up_.readable = true;
        up_.peer_closed |= (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
        if (pump(up_) != Pump::kOk) return finish("client read/upstream write failed");
      }
      if (events & EPOLLOUT) {
        if (pump(down_) != Pump::kOk) return finish("client write failed");
      }
      checkDone();
      return;
    case State::kDraining: {
      while (final_off_ < final_.size()) {
        ssize_t n = send(client_.get(), final_.data() + final_off_, final_.size() - final_off_, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) break;
        final_off_ += static_cast<size_t>(n);
      }
      finish("reply sent");
      return;
    }
    case State::kClosed:
      return;
  }
}

void TcpSession::onUpstreamIo(uint32_t events) {
  if (state_ == State::kProbing) {
    if (events & (EPOLLERR | EPOLLHUP)) return onProbed(false, events);
    if (events & EPOLLOUT) onProbed(true, events);
    return;
  }
  if (state_ == State::kConnecting) {
    if (events & (EPOLLERR | EPOLLHUP)) {
      int err = socketError(upstream_.get());
      return onConnectFailed(errnoText(err ? err : ECONNREFUSED));
    }
    if (events & EPOLLOUT) onConnected(events);  // writable without error: connected
    return;
  }
  if (state_ != State::kRelaying) return;
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    down_.readable = true;
    down_.peer_closed |= (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
    if (pump(down_) != Pump::kOk) return finish("upstream read/client write failed");
  }
  if (events & EPOLLOUT) {
    if (pump(up_) != Pump::kOk) return finish("upstream write failed");
  }
  checkDone();
}

bool TcpSession::readIntoHold(uint32_t events) {
  // A full hold buffer, or a spent hold budget, stops reading: the client's
  // kernel buffer and TCP window hold the rest until the relay starts.
  bool budget_spent = false;
  while (!client_eof_ && static_cast<int64_t>(held_.size()) < ctx_.config.hold_buffer_bytes) {
    size_t room = static_cast<size_t>(ctx_.config.hold_buffer_bytes) - held_.size();
    size_t want = std::min(room, ctx_.scratch.size());
    if (ctx_.hold_budget) {
      want = static_cast<size_t>(ctx_.hold_budget->take(static_cast<int64_t>(want)));
      if (want == 0) {
        budget_spent = true;
        break;
      }
    }
    ssize_t n = recv(client_.get(), ctx_.scratch.data(), want, 0);
    if (ctx_.hold_budget) {
      int64_t kept = n > 0 ? n : 0;
      ctx_.hold_budget->give(static_cast<int64_t>(want) - kept);
      charged_ += kept;
    }
    if (n > 0) {
      held_.append(ctx_.scratch.data(), static_cast<size_t>(n));
      ctx_.stats.bytes_from_clients += n;
      noteTraffic();
      // Drained (more data raises a new edge) unless a FIN came too: read it now.
      if (static_cast<size_t>(n) < want && !(events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))) break;
      continue;
    }
    if (n == 0) {
      client_eof_ = true;
      break;
    }
    if (errno == EAGAIN) break;
    finish("client error while held");
    return false;
  }
  hold_full_ = budget_spent || static_cast<int64_t>(held_.size()) >= ctx_.config.hold_buffer_bytes;
  return true;
}

void TcpSession::greet() {
  while (state_ == State::kGreeting) {
    MinecraftGreeter::Step step = greeter_->feed(held_);
    switch (step.action) {
      case MinecraftGreeter::Action::kNeedMore:
        if (client_eof_) return finish("client left during handshake");
        if (static_cast<int64_t>(held_.size()) >= ctx_.config.hold_buffer_bytes)
          return finish("minecraft greeting too large");
        return;
      case MinecraftGreeter::Action::kReply:
        if (send(client_.get(), step.reply.data(), step.reply.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(step.reply.size()))
          return finish("client did not take the status reply");
        continue;
      case MinecraftGreeter::Action::kReplyAndClose:
        return sendFinal(step.reply);
      case MinecraftGreeter::Action::kLogin:
        timer_.cancel();
        minecraft_login_ = true;
        setNonPlayer(false);
        log::info() << "minecraft login from " << peer_.toString() << " (protocol "
                    << greeter_->handshake().protocol_version << ")";
        greeter_.reset();
        holdOrConnect();
        return;
      case MinecraftGreeter::Action::kClose:
        return finish("malformed or legacy minecraft greeting");
    }
  }
}

void TcpSession::holdOrConnect() {
  SocketAddress up;
  if (ctx_.view.up(&up)) return connectUpstream(up);
  hold();
}

void TcpSession::hold() {
  if (!ctx_.waker) return handOff();
  state_ = State::kHeld;
  WakeCall call;
  call.protocol = Protocol::kTcp;
  call.public_port = mapping_.public_port;
  call.client = peer_.hostString();
  call.reason = minecraft_login_ ? "minecraft-login" : "tcp";
  if (!ctx_.waker->hold(this, call)) {
    ctx_.stats.refused_clients++;
    finish("too many held clients");
  }
}

void TcpSession::connectUpstream(const SocketAddress& upstream) {
  state_ = State::kConnecting;
  ++connect_attempts_;
  SocketAddress target = upstream;
  target.setPort(mapping_.upstream_port);
  auto fd = startConnect(target, SOCK_STREAM);
  if (!fd.isOk()) {
    // No connect in flight: retry from the next loop turn, not from inside the waker.
    ctx_.loop.defer([this, why = fd.status().message()] {
      if (state_ == State::kConnecting) onConnectFailed(why);
    });
    return;
  }
  upstream_ = std::move(fd.value());
  ctx_.loop.add(upstream_.get(), kEvents, &upstream_side_);
  timer_.start(ctx_.config.connect_timeout_ms, [this] {
    onConnectFailed("connect timed out");
  });
}

void TcpSession::onConnectFailed(const std::string& why) {
  timer_.cancel();
  upstream_.reset();  // closing also drops it from epoll
  log::debug() << "upstream connect for " << peer_.toString() << " failed: " << why;
  if (ctx_.waker) ctx_.waker->reportFailure();
  else ctx_.report_failure();
  if (connect_attempts_ >= kMaxConnectAttempts) return finish("upstream keeps refusing");
  hold();
}

void TcpSession::onConnected(uint32_t events) {
  timer_.cancel();
  down_.peer_closed = (events & (EPOLLRDHUP | EPOLLHUP)) != 0;
  startRelay(events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP));
}

void TcpSession::armIdleCheck() {
  if (ctx_.config.tcp_idle_timeout_ms <= 0) return;
  int64_t due = last_io_ms_ + ctx_.config.tcp_idle_timeout_ms - ctx_.loop.nowMs();
  idle_timer_.start(std::max<int64_t>(due, 1), [this] {
    if (ctx_.loop.nowMs() - last_io_ms_ >= ctx_.config.tcp_idle_timeout_ms) return finish("idle");
    armIdleCheck();
  });
}

void TcpSession::startRelay(bool upstream_readable) {
  state_ = State::kRelaying;
  last_io_ms_ = ctx_.loop.nowMs();
  armIdleCheck();
  up_.from = client_.get();
  up_.to = upstream_.get();
  up_.counter = &ctx_.stats.bytes_from_clients;
  up_.pending = std::move(held_);  // replayed first; already counted
  releaseHold();                   // relayed now, no longer held
  up_.eof = client_eof_;
  up_.readable = hold_full_;  // otherwise every client byte so far is in held_
  down_.readable = upstream_readable;
  down_.from = upstream_.get();
  down_.to = client_.get();
  down_.counter = &ctx_.stats.bytes_to_clients;
  held_.clear();
  if (pump(up_) != Pump::kOk) return finish("upstream write failed");
  if (pump(down_) != Pump::kOk) return finish("client write failed");
  checkDone();
}

void TcpSession::beforeWrite(const Direction& d) {
  // Game traffic is small messages, so Nagle must be off towards the game.
  // Nagle never holds the first segment (nothing is in flight yet), so the
  // setsockopt - one more syscall, on a machine where each costs about a
  // microsecond - waits for the second write: short-lived connections
  // (server-list pings, port scanners) never pay for it. Clients inherit
  // TCP_NODELAY from the listener.
  if (&d != &up_ || upstream_writes_ < 0) return;
  if (upstream_writes_++ == 0) return;
  int one = 1;
  setsockopt(upstream_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  upstream_writes_ = -1;
}

bool TcpSession::flushPending(Direction& d, bool* blocked) {
  while (d.pending_off < d.pending.size()) {
    beforeWrite(d);
    ssize_t n = send(d.to, d.pending.data() + d.pending_off, d.pending.size() - d.pending_off, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN) {
        *blocked = true;
        return true;
      }
      return false;
    }
    d.pending_off += static_cast<size_t>(n);
  }
  d.pending.clear();
  d.pending.shrink_to_fit();
  d.pending_off = 0;
  return true;
}

TcpSession::Pump TcpSession::pump(Direction& d) {
  if (d.pipe_write.valid()) return pumpSplice(d);
  Pump p = pumpCopy(d);
  // Bulk traffic moves to splice; game-sized messages stay on recv/send
  // (no pipe to create, fewer fds, one syscall each way).
  if (p == Pump::kOk && d.bulk && !d.eof && ctx_.config.relay_mode == RelayMode::kSplice) {
    int fds[2];
    if (pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) return p;  // stay on copy
    d.pipe_read.reset(fds[0]);
    d.pipe_write.reset(fds[1]);
    fcntl(fds[1], F_SETPIPE_SZ, kPipeSize);
    return pumpSplice(d);
  }
  return p;
}

TcpSession::Pump TcpSession::pumpCopy(Direction& d) {
  char* buf = ctx_.scratch.data();
  const size_t size = ctx_.scratch.size();
  while (true) {
    bool blocked = false;
    if (!flushPending(d, &blocked)) return Pump::kError;
    if (blocked) return Pump::kOk;  // resume on the writable edge of `to`
    if (d.eof) return shutWrite(d);
    if (!d.readable) return Pump::kOk;
    ssize_t n = recv(d.from, buf, size, 0);
    if (n > 0) {
      *d.counter += n;
      noteTraffic();
      // A short read drained the socket; new data raises a new edge (but when
      // the peer's FIN came with the data, the EOF must still be read). A full
      // one means bulk traffic.
      if (static_cast<size_t>(n) < size) {
        if (!d.peer_closed) d.readable = false;
      } else {
        d.bulk = true;
      }
      beforeWrite(d);
      ssize_t w = send(d.to, buf, static_cast<size_t>(n), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno != EAGAIN) return Pump::kError;
        w = 0;
      }
      if (w < n) {
        d.pending.assign(buf + w, static_cast<size_t>(n - w));
        return Pump::kOk;
      }
      if (!d.readable) return Pump::kOk;
      if (d.bulk && ctx_.config.relay_mode == RelayMode::kSplice) return Pump::kOk;  // pump() switches
      continue;
    }
    Pump result;
    if (readEnded(d, n, &result)) continue;
    return result;
  }
}

bool TcpSession::readEnded(Direction& d, ssize_t n, Pump* result) {
  if (n == 0) {
    d.eof = true;
    return true;
  }
  if (errno == EAGAIN) {
    d.readable = false;
    *result = Pump::kOk;
  } else {
    *result = Pump::kError;
  }
  return false;
}

TcpSession::Pump TcpSession::shutWrite(Direction& d) {
  if (d.shut) return Pump::kOk;
  d.shut = true;
  // When the other direction is already closed, finish() closes both sockets
  // (which sends the FIN); a separate shutdown() would be a wasted call.
  Direction& other = &d == &up_ ? down_ : up_;
  if (!other.shut) shutdown(d.to, SHUT_WR);
  return Pump::kOk;
}

TcpSession::Pump TcpSession::pumpSplice(Direction& d) {
  while (true) {
    bool blocked = false;
    if (!flushPending(d, &blocked)) return Pump::kError;
    if (blocked) return Pump::kOk;
    while (d.in_pipe > 0) {
      beforeWrite(d);
      ssize_t n = splice(d.pipe_read.get(), nullptr, d.to, nullptr, d.in_pipe,
                         SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        d.in_pipe -= static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EAGAIN) return Pump::kOk;
      return Pump::kError;
    }
    if (d.eof) return shutWrite(d);
    if (!d.readable) return Pump::kOk;
    ssize_t n = splice(d.from, nullptr, d.pipe_write.get(), nullptr, kSpliceChunk,
                       SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
    if (n > 0) {
      d.in_pipe += static_cast<size_t>(n);
      *d.counter += n;
      noteTraffic();
      continue;
    }
    Pump result;
    if (readEnded(d, n, &result)) continue;
    return result;
  }
}

void TcpSession::checkDone() {
  if (state_ == State::kRelaying && up_.shut && down_.shut) finish("both sides closed");
}

bool TcpSession::probeUpstream(const SocketAddress& upstream, int64_t window_ms, std::function<void(bool)> done) {
  if (state_ != State::kHeld) return false;
  SocketAddress target = upstream;
  target.setPort(mapping_.upstream_port);
  auto fd = startConnect(target, SOCK_STREAM);
  if (!fd.isOk()) return false;
  upstream_ = std::move(fd.value());
  state_ = State::kProbing;
  probe_done_ = std::move(done);
  ctx_.loop.add(upstream_.get(), kEvents, &upstream_side_);
  // No answer within the window counts as not ready, like a bare probe.
  timer_.start(window_ms, [this] { onProbed(false, 0); });
  return true;
}

void TcpSession::onProbed(bool connected, uint32_t events) {
  timer_.cancel();
  std::function<void(bool)> done = std::move(probe_done_);
  probe_done_ = nullptr;
  if (!connected) {
    upstream_.reset();  // closing also drops it from epoll
    state_ = State::kHeld;
    done(false);
    return;
  }
  // The game took this client's own connection: the waker learns it is up
  // (and releases the others), then this one relays what it held.
  state_ = State::kConnecting;
  done(true);
  if (state_ != State::kConnecting) return;
  ++connect_attempts_;
  onConnected(events);
}

void TcpSession::onUpstreamReady(const SocketAddress& upstream) {
  if (state_ != State::kHeld) return;
  connectUpstream(upstream);
}

void TcpSession::onWakeFailed(WakeFailure why) {
  if (state_ != State::kHeld) return;
  if (minecraft_login_) {
    const char* refused =
        why == WakeFailure::kUnpaid   ? "This server is asleep: its owner's credit has run out. Try again later."
        : why == WakeFailure::kLocked ? "This server stopped after crashing repeatedly. Its owner has to start it again."
                                      : "This server is asleep and could not be woken right now. Try again later.";
    return sendFinal(minecraft::loginDisconnectFrame(why == WakeFailure::kHoldTimeout ? ctx_.config.minecraft_kick_message
                                                                                     : refused));
  }
  finish(why == WakeFailure::kHoldTimeout ? "hold timed out" : "wake refused");
}

void TcpSession::sendFinal(const std::string& bytes) {
  state_ = State::kDraining;
  final_ = bytes;
  final_off_ = 0;
  onClientIo(EPOLLOUT);
}

void TcpSession::finish(const char* why) {
  if (state_ == State::kClosed) return;
  // Guarded: building a log line (an ostringstream) costs more than the rest of a close.
  if (log::enabled(log::Level::kDebug)) log::debug() << "tcp " << peer_.toString() << " closed: " << why;
  state_ = State::kClosed;
  if (ctx_.waker) ctx_.waker->release(this);
  releaseHold();
  setNonPlayer(false);
  timer_.cancel();
  idle_timer_.cancel();
  // close() also drops an fd from epoll (none is dup'ed), so no EPOLL_CTL_DEL.
  upstream_.reset();
  if (client_.valid()) {
    // An orderly FIN (not RST) for a client whose bytes were all read.
    if (!down_.shut) shutdown(client_.get(), SHUT_WR);
    client_.reset();
  }
  up_.pipe_read.reset();
  up_.pipe_write.reset();
  down_.pipe_read.reset();
  down_.pipe_write.reset();
  ctx_.stats.tcp_connections--;
  owner_.sessionClosed(this);
  if (ctx_.on_client_gone) ctx_.on_client_gone();
}

}  // namespace gsp::proxy
