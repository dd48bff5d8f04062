#include "udp_session.h"

#include <algorithm>

#include <cerrno>
#include <cstring>

#include "core/log.h"
#include "udp_port.h"

namespace gsp::proxy {

UdpSession::UdpSession(ProxyContext& ctx, UdpPort& port, const SocketAddress& client, std::string key)
    : ctx_(ctx), port_(port), client_(client), key_(std::move(key)), last_activity_ms_(ctx.loop.nowMs()) {
  ctx_.stats.udp_sessions++;
}

UdpSession::~UdpSession() {
  ctx_.waker->release(this);
  if (player_) ctx_.stats.udp_players--;
  if (ctx_.hold_budget) ctx_.hold_budget->give(queued_bytes_);
}

void UdpSession::notePlayerTraffic() {
  const int64_t now = last_activity_ms_;
  if (!player_ && from_client_first_ms_ && to_client_first_ms_ &&
      now - std::max(from_client_first_ms_, to_client_first_ms_) >= ctx_.config.udp_player_after_ms) {
    player_ = true;
    ctx_.stats.udp_players++;
    if (ctx_.on_player_joined) ctx_.on_player_joined();
  }
  if (player_) ctx_.noteTraffic();
}

void UdpSession::dropQueue() {
  ctx_.stats.dropped_datagrams += static_cast<int64_t>(queue_.size());
  if (ctx_.hold_budget) ctx_.hold_budget->give(queued_bytes_);
  queue_.clear();
  queued_bytes_ = 0;
}

void UdpSession::fromClientHeld(const char* data, size_t len) {
  last_activity_ms_ = ctx_.loop.nowMs();
  if (state_ == State::kClosed) return;
  if (static_cast<int>(queue_.size()) >= ctx_.config.udp_hold_datagrams ||
      queued_bytes_ + static_cast<int64_t>(len) > ctx_.config.hold_buffer_bytes ||
      (ctx_.hold_budget && !ctx_.hold_budget->takeAll(static_cast<int64_t>(len)))) {
    ctx_.stats.dropped_datagrams++;
  } else {
    queue_.emplace_back(data, len);
    queued_bytes_ += static_cast<int64_t>(len);
  }
  if (state_ == State::kNew) {
    if (const SocketAddress* up = ctx_.waker->upstream()) {
      if (connect(*up)) return;
    }
    // The first datagram of a source: kept, but it wakes nothing on its own.
    state_ = State::kPending;
    return;
  }
  if (state_ == State::kPending) hold();  // a second datagram within the window (else swept)
}

void UdpSession::dropLone() {
  if (state_ != State::kPending) return;
  if (log::enabled(log::Level::kDebug))
    log::debug() << "udp " << client_.toString() << ": a lone datagram, not a client: dropped";
  dropQueue();
  finish("lone datagram");
}

void UdpSession::hold() {
  state_ = State::kHeld;
  WakeCall call;
  call.protocol = Protocol::kUdp;
  call.public_port = port_.mapping().public_port;
  call.client = client_.hostString();
  call.reason = "udp";
  if (!ctx_.waker->hold(this, call)) {
    ctx_.stats.refused_clients++;
    finish("too many held clients");
  }
}

bool UdpSession::connect(const SocketAddress& upstream) {
  SocketAddress target = upstream;
  target.setPort(port_.mapping().upstream_port);
  auto fd = startConnect(target, SOCK_DGRAM);
  if (!fd.isOk()) {
    log::debug() << "udp upstream socket: " << fd.status().message();
    return false;
  }
  upstream_ = std::move(fd.value());
  setSocketBuffers(upstream_.get(), 1 << 20, 1 << 20);
  ctx_.loop.add(upstream_.get(), EPOLLIN, this);  // level-triggered, see UdpPort
  state_ = State::kRelaying;
  if (!sendQueued()) {
    upstreamFailed();
    hold();
  }
  return true;
}

bool UdpSession::sendQueued() {
  while (!queue_.empty()) {
    const std::string& d = queue_.front();
    if (send(upstream_.get(), d.data(), d.size(), 0) < 0) {
      if (errno == ECONNREFUSED) return false;  // the rest stays queued, in order
      ctx_.stats.dropped_datagrams++;
    }
    popQueued();
  }
  return true;
}

void UdpSession::popQueued() {
  queued_bytes_ -= static_cast<int64_t>(queue_.front().size());
  if (ctx_.hold_budget) ctx_.hold_budget->give(static_cast<int64_t>(queue_.front().size()));
  queue_.pop_front();
}

bool UdpSession::probeUpstream(const SocketAddress& upstream, int64_t window_ms, std::function<void(bool)> done) {
  if (state_ != State::kHeld || queue_.empty()) return false;
  SocketAddress target = upstream;
  target.setPort(port_.mapping().upstream_port);
  auto fd = startConnect(target, SOCK_DGRAM);
  if (!fd.isOk()) return false;
  upstream_ = std::move(fd.value());
  setSocketBuffers(upstream_.get(), 1 << 20, 1 << 20);
  state_ = State::kProbing;
  probe_done_ = std::move(done);
  probe_sent_ = 0;
  for (const std::string& d : queue_) {
    if (send(upstream_.get(), d.data(), d.size(), 0) < 0) break;  // refused at once: not ready
    ++probe_sent_;
  }
  const bool sent_all = probe_sent_ == queue_.size();
  ctx_.loop.add(upstream_.get(), EPOLLIN, this);  // EPOLLERR (the refusal) comes anyway
  probe_timer_.start(window_ms, [this, sent_all] { onProbed(sent_all && socketError(upstream_.get()) == 0); });
  return true;
}

void UdpSession::onProbed(bool ready) {
  probe_timer_.cancel();
  std::function<void(bool)> done = std::move(probe_done_);
  probe_done_ = nullptr;
  if (!ready) {
    upstream_.reset();  // closing also drops it from epoll; the datagrams stay queued
    state_ = State::kHeld;
    done(false);
    return;
  }
  // The game got them: they leave the queue; any that came during the probe
  // go now (a refusal of those is met by the relay's next send, as any other).
  for (size_t i = 0; i < probe_sent_ && !queue_.empty(); ++i) popQueued();
  state_ = State::kRelaying;
  sendQueued();
  done(true);
}

void UdpSession::upstreamFailed() {
  upstream_.reset();  // closing also drops it from epoll
  ctx_.waker->reportFailure();
  state_ = State::kNew;
}

void UdpSession::onIo(uint32_t) {
  if (state_ == State::kProbing) {
    // A refusal settles it as "not yet"; a reply means the game is there.
    if (socketError(upstream_.get()) != 0) return onProbed(false);
    onProbed(true);
  }
  if (state_ != State::kRelaying) return;
  const size_t max = static_cast<size_t>(ctx_.config.udp_max_datagram);
  DatagramBatch batch;
  for (int round = 0; round < UdpPort::kMaxBatchesPerWakeup; ++round) {
    int n = batch.receive(upstream_.get(), ctx_.scratch.data(), max + 1, /*with_sources=*/false);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return;
      // ECONNREFUSED: the game stopped listening. Later datagrams wake it again.
      upstreamFailed();
      return;
    }
    int kept = batch.pack(n, [&](int i) {
      if (batch.oversize(i, max)) {
        ctx_.stats.dropped_datagrams++;
        return false;
      }
      ctx_.stats.bytes_to_clients += static_cast<int64_t>(batch.length(i));
      return true;
    });
    if (kept) port_.sendToClient(client_, batch, kept);
    last_activity_ms_ = ctx_.loop.nowMs();
    if (!to_client_first_ms_) to_client_first_ms_ = last_activity_ms_;
    notePlayerTraffic();
    if (n < DatagramBatch::kCapacity) return;
  }
}

void UdpSession::onUpstreamReady(const SocketAddress& upstream) {
  if (state_ != State::kHeld) return;
  state_ = State::kNew;
  if (!connect(upstream)) finish("cannot open an upstream socket");
}

void UdpSession::onWakeFailed(WakeFailure why) {
  if (state_ != State::kHeld) return;
  dropQueue();
  finish(why == WakeFailure::kHoldTimeout ? "hold timed out" : "wake refused");
}

void UdpSession::finish(const char* why) {
  if (state_ == State::kClosed) return;
  if (log::enabled(log::Level::kDebug)) log::debug() << "udp session " << client_.toString() << " ended: " << why;
  state_ = State::kClosed;
  probe_timer_.cancel();
  probe_done_ = nullptr;
  ctx_.waker->release(this);
  upstream_.reset();  // closing also drops it from epoll
  ctx_.stats.udp_sessions--;
  if (player_) ctx_.stats.udp_players--;
  player_ = false;
  port_.sessionClosed(this);
  if (ctx_.on_client_gone) ctx_.on_client_gone();
}

}  // namespace gsp::proxy
