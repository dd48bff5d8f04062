#include "udp_port.h"

#include <cerrno>
#include <cstring>

#include "core/log.h"

namespace gsp::proxy {

UdpPort::UdpPort(ProxyContext& ctx, const PortMapping& mapping)
    : ctx_(ctx), mapping_(mapping), buffers_(static_cast<size_t>(DatagramBatch::kCapacity) * (ctx.config.udp_max_datagram + 1)) {
  if (ctx_.config.query != QueryProtocol::kNone && ctx_.config.query_port == mapping_.public_port)
    responder_ = std::make_unique<QueryResponder>(ctx_.config);
}

bool UdpPort::answerQuery(const char* data, size_t len, const SocketAddress& from) {
  if (!responder_ || !ctx_.waker || ctx_.waker->upstream()) return false;
  std::string reply;
  const bool starting = ctx_.waker->state() == UpstreamWaker::State::kWaking;
  if (!responder_->answer(data, len, from, starting, &reply)) return false;
  // One answer per query, never larger than a datagram: dropped when the socket is full.
  if (sendto(fd_.get(), reply.data(), reply.size(), MSG_DONTWAIT, from.get(), from.length) < 0)
    ctx_.stats.dropped_datagrams++;
  return true;
}

Status UdpPort::bind(const std::string& address) {
  SocketAddress addr;
  if (!SocketAddress::fromNumeric(address, mapping_.public_port, &addr))
    return Status::invalid("--listen-address: '" + address + "' is not an IP address");
  auto fd = bindUdp(addr);
  if (!fd.isOk()) return fd.status();
  fd_ = std::move(fd.value());
  setSocketBuffers(fd_.get(), 4 << 20, 4 << 20);
  // Level-triggered, a bounded number of batches per wakeup: a flood on one
  // socket cannot starve the replies waiting on the sessions' sockets.
  ctx_.loop.add(fd_.get(), EPOLLIN, this);
  return Status::ok();
}

void UdpPort::onIo(uint32_t) {
  const size_t max = static_cast<size_t>(ctx_.config.udp_max_datagram);
  for (int round = 0; round < kMaxBatchesPerWakeup; ++round) {
    int n = batch_.receive(fd_.get(), buffers_.data(), max + 1, /*with_sources=*/true);
    if (n < 0) {
      if (errno != EAGAIN && errno != EINTR) log::warn() << "udp recv: " << errnoText(errno);
      return;
    }
    // Consecutive datagrams of one relaying session go out in one sendmmsg.
    mmsghdr out[DatagramBatch::kCapacity];
    int out_n = 0;
    UdpSession* run = nullptr;
    auto flush = [&] {
      if (!run || out_n == 0) return;
      int sent = sendConnected(run->upstreamFd(), out, out_n);
      if (sent < out_n) {
        if (errno == ECONNREFUSED) {
          // The game went away: keep the rest for the next wake, in order.
          run->upstreamFailed();
          for (int j = sent; j < out_n; ++j)
            run->fromClientHeld(static_cast<const char*>(out[j].msg_hdr.msg_iov->iov_base),
                                out[j].msg_hdr.msg_iov->iov_len);
        } else {
          ctx_.stats.dropped_datagrams += out_n - sent;
        }
      }
      run->noteSent();
      out_n = 0;
    };
    for (int i = 0; i < n; ++i) {
      if (batch_.oversize(i, max)) {
        ctx_.stats.dropped_datagrams++;
        continue;
      }
      SocketAddress from = batch_.source(i);
      size_t len = batch_.length(i);
      if (answerQuery(batch_.data(i), len, from)) continue;
      std::string key = from.key();
      auto it = sessions_.find(key);
      if (it == sessions_.end()) {
        int& of_host = sessions_per_host_[from.hostString()];
        if (ctx_.stats.liveClients() >= ctx_.config.max_clients || of_host >= ctx_.config.max_udp_sessions_per_address) {
          if (of_host == 0) sessions_per_host_.erase(from.hostString());
          ctx_.stats.refused_clients++;
          ctx_.stats.dropped_datagrams++;
          continue;
        }
        ++of_host;
        it = sessions_.emplace(key, std::make_unique<UdpSession>(ctx_, *this, from, key)).first;
        armSweep();
      }
      UdpSession* s = it->second.get();
      ctx_.stats.bytes_from_clients += static_cast<int64_t>(len);
      if (!s->relaying()) {
        flush();
        s->fromClientHeld(batch_.data(i), len);
        continue;
      }
      if (s != run) {
        flush();
        run = s;
      }
      iovec* v = batch_.iov(i);
      v->iov_len = len;
      memset(&out[out_n], 0, sizeof(mmsghdr));
      out[out_n].msg_hdr.msg_iov = v;
      out[out_n].msg_hdr.msg_iovlen = 1;
      ++out_n;
    }
    flush();  // each session notes its own traffic (only a player's keeps the server awake)
    if (n < DatagramBatch::kCapacity) return;
  }
}

void UdpPort::sendToClient(const SocketAddress& to, DatagramBatch& batch, int count) {
  int sent = sendBatchTo(fd_.get(), batch, count, to);
  if (sent < count) ctx_.stats.dropped_datagrams += count - sent;
}

void UdpPort::sessionClosed(UdpSession* session) {
  auto it = sessions_.find(session->key());
  if (it == sessions_.end() || it->second.get() != session) return;
  UdpSession* raw = it->second.release();
  sessions_.erase(it);
  auto host = sessions_per_host_.find(raw->client().hostString());
  if (host != sessions_per_host_.end() && --host->second <= 0) sessions_per_host_.erase(host);
  ctx_.loop.defer([raw] { delete raw; });
}

void UdpPort::sweepIdle() {
  int64_t cutoff = ctx_.loop.nowMs() - ctx_.config.udp_idle_timeout_ms;
  std::vector<UdpSession*> idle;
  int64_t lone_cutoff = ctx_.loop.nowMs() - ctx_.config.udp_wake_window_ms;
  std::vector<UdpSession*> lone;
  for (auto& [key, s] : sessions_) {
    if (s->lastActivityMs() <= cutoff) idle.push_back(s.get());
    else if (s->pending() && s->lastActivityMs() <= lone_cutoff) lone.push_back(s.get());
  }
  for (UdpSession* s : idle) s->finish("idle");
  for (UdpSession* s : lone) s->dropLone();
  armSweep();
}

void UdpPort::armSweep() {
  // Only while there are sessions: an idle proxy has no timer to wake it.
  if (sweep_timer_.pending() || sessions_.empty()) return;
  int64_t every = std::min<int64_t>({1000, ctx_.config.udp_idle_timeout_ms / 4, ctx_.config.udp_wake_window_ms / 2});
  sweep_timer_.start(every, [this] { sweepIdle(); });
}

}  // namespace gsp::proxy
