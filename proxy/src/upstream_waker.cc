#include "upstream_waker.h"

#include <algorithm>
#include <ctime>

#include "core/log.h"

namespace gsp::proxy {

namespace {
constexpr int64_t kFirstBackoffMs = 1000;
constexpr int64_t kMaxBackoffMs = 30000;
// An accepted wake is not repeated for this long (nor past the hold timeout).
constexpr int64_t kRewakeAfterMs = 60000;
}  // namespace

UpstreamWaker::UpstreamWaker(EventLoop& loop, Resolver& resolver, BackendClient& backend,
                             const ProxyConfig& config, ProxyStats& stats, UpstreamView& view)
    : loop_(loop), resolver_(resolver), backend_(backend), config_(config), stats_(stats), view_(view) {
  // Probe a TCP port when there is one: a UDP probe can only see "not refused".
  for (const auto& p : config_.ports) {
    if (p.protocol == Protocol::kTcp) {
      probe_protocol_ = Protocol::kTcp;
      probe_port_ = p.upstream_port;
      break;
    }
  }
  if (probe_port_ == 0) {
    probe_protocol_ = Protocol::kUdp;
    probe_port_ = config_.ports.front().upstream_port;
  }
}

void UpstreamWaker::setState(State state) {
  state_ = state;
  view_.set(state == State::kUp, state == State::kWaking, address_);
}

void UpstreamWaker::checkWithoutWaking() {
  if (check_in_flight_) return;
  setState(State::kChecking);
  startCheck();
}

void UpstreamWaker::reportFailure() {
  watch_until_ms_ = 0;
  if (state_ == State::kUp) {
    log::info() << "upstream " << config_.upstream_host << " stopped accepting";
    setState(State::kDown);
  }
}

void UpstreamWaker::watchStart(int64_t for_ms) {
  watch_until_ms_ = loop_.nowMs() + for_ms;
  if (state_ == State::kUp || check_in_flight_ || next_check_timer_.pending()) return;
  setState(State::kChecking);
  startCheck();
}

bool UpstreamWaker::hold(WakeWaiter* waiter, const WakeCall& call) {
  if (waiter->held_) return true;
  if (static_cast<int>(waiters_.size()) >= config_.max_held_clients) return false;
  int& from_address = held_per_address_[call.client];
  if (from_address >= config_.max_held_per_address) return false;
  ++from_address;
  waiter->held_address_ = call.client;
  if (waiters_.empty()) first_call_ = call;
  waiter->held_ = true;
  waiter->hold_deadline_ms_ = loop_.nowMs() + config_.hold_timeout_ms;
  waiter->position_ = waiters_.insert(waiters_.end(), waiter);
  stats_.held_clients = static_cast<int64_t>(waiters_.size());
  armHoldTimer();
  wake_wanted_ = true;
  if (state_ == State::kChecking || check_in_flight_ || next_check_timer_.pending()) return true;
  // Up (a connect just failed), down or unknown: look before waking.
  setState(State::kChecking);
  startCheck();
  return true;
}

void UpstreamWaker::release(WakeWaiter* waiter) {
  if (waiter == probing_) {
    // It left while probing: its probe is gone with it. Look again with the next one.
    probing_ = nullptr;
    check_in_flight_ = false;
    loop_.defer([this] {
      if (check_in_flight_ || state_ == State::kUp) return;
      if (waiters_.empty()) return setState(State::kDown);
      if (!next_check_timer_.pending()) startCheck();
    });
  }
  if (!waiter->held_) return;
  waiters_.erase(waiter->position_);
  unheld(waiter);
  stats_.held_clients = static_cast<int64_t>(waiters_.size());
}

void UpstreamWaker::unheld(WakeWaiter* waiter) {
  waiter->held_ = false;
  auto it = held_per_address_.find(waiter->held_address_);
  if (it != held_per_address_.end() && --it->second <= 0) held_per_address_.erase(it);
}

void UpstreamWaker::startCheck() {
  check_in_flight_ = true;
  resolver_.resolve(config_.upstream_host, [this](bool ok, const SocketAddress& resolved) {
    if (!ok) return onCheckDone(false);
    address_ = resolved;
    SocketAddress target = resolved;
    target.setPort(probe_port_);
    // One probe interval per attempt, for TCP too: a SYN sent while the game's
    // container is still joining its network is lost, and the kernel would only
    // retry it after a second; a fresh connect a moment later gets through.
    int64_t window = std::min(config_.connect_timeout_ms, std::max<int64_t>(config_.probe_interval_ms, 100));
    if (!waiters_.empty()) {
      WakeWaiter* first = waiters_.front();
      probing_ = first;
      if (first->probeUpstream(resolved, window, [this, first](bool ready) { onWaiterProbed(first, ready); })) return;
      probing_ = nullptr;
    }
    probe_ = std::make_unique<UpstreamProbe>(loop_, probe_protocol_, target, window, [this](bool ready) {
      UpstreamProbe* done = probe_.release();
      loop_.defer([done] { delete done; });
      onCheckDone(ready);
    });
  });
}

void UpstreamWaker::onWaiterProbed(WakeWaiter* w, bool ready) {
  probing_ = nullptr;
  if (ready) release(w);  // it relays now; the others follow in onCheckDone
  onCheckDone(ready);
}

void UpstreamWaker::onCheckDone(bool ready) {
  check_in_flight_ = false;
  if (ready) {
    const bool came_up = state_ != State::kUp;
    if (came_up) {
      log::info() << "upstream " << config_.upstream_host << " (" << address_.hostString()
                  << ") accepts; releasing " << waiters_.size() << " held client(s)";
    }
    setState(State::kUp);
    watch_until_ms_ = 0;
    if (came_up && on_up_) on_up_();
    wake_wanted_ = false;
    wake_accepted_at_ms_ = -1;
    wake_backoff_ms_ = 0;
    wake_retry_timer_.cancel();
    std::list<WakeWaiter*> ready_waiters;
    ready_waiters.swap(waiters_);
    stats_.held_clients = 0;
    hold_timer_.cancel();
    for (WakeWaiter* w : ready_waiters) unheld(w);
    SocketAddress address = address_;
    for (WakeWaiter* w : ready_waiters) w->onUpstreamReady(address);
    return;
  }
  if (waiters_.empty()) {
    setState(State::kDown);
    if (loop_.nowMs() < watch_until_ms_) {
      // Started by the backend: look again a little later, still without waking.
      next_check_timer_.start(std::max<int64_t>(config_.probe_interval_ms, 500), [this] {
        if (state_ != State::kUp && !check_in_flight_) startCheck();
      });
    }
    return;
  }
  if (state_ != State::kWaking) {
    log::info() << "upstream " << config_.upstream_host << " is not accepting; holding "
                << waiters_.size() << " client(s) and waking it";
  }
  setState(State::kWaking);
  if (wake_wanted_) maybeSendWake();
  next_check_timer_.start(config_.probe_interval_ms, [this] {
    if (waiters_.empty()) {
      setState(State::kDown);
      return;
    }
    startCheck();
  });
}

void UpstreamWaker::maybeSendWake() {
  if (wake_in_flight_ || wake_retry_timer_.pending()) return;
  int64_t fresh_for = std::max(kRewakeAfterMs, config_.hold_timeout_ms);
  if (wake_accepted_at_ms_ >= 0 && loop_.nowMs() - wake_accepted_at_ms_ < fresh_for) return;
  wake_in_flight_ = true;
  stats_.wake_calls++;
  WakeCall call = first_call_;
  call.server_id = config_.server_id;
  log::info() << "wake call to " << config_.wake_url.text << " (" << call.reason << " client "
              << call.client << ")";
  backend_.post(config_.wake_url, wakeBody(call, time(nullptr)),
                [this](int status, const std::string& error) { onWakeAnswer(status, error); });
}

void UpstreamWaker::onWakeAnswer(int status, const std::string& error) {
  wake_in_flight_ = false;
  if (status >= 200 && status < 300) {
    wake_accepted_at_ms_ = loop_.nowMs();
    wake_backoff_ms_ = 0;
    return;
  }
  if (status >= 400 && status < 500 && status != 408 && status != 429) {
    log::warn() << "wake refused by the backend (HTTP " << status << "); closing "
                << waiters_.size() << " held client(s)";
    wake_accepted_at_ms_ = -1;
    failAll(status == 402 ? WakeFailure::kUnpaid : status == 423 ? WakeFailure::kLocked : WakeFailure::kRefused);
    return;
  }
  wake_backoff_ms_ = wake_backoff_ms_ == 0 ? kFirstBackoffMs : std::min(wake_backoff_ms_ * 2, kMaxBackoffMs);
  log::warn() << "wake call failed (" << (status ? "HTTP " + std::to_string(status) : error)
              << "); retrying in " << wake_backoff_ms_ << " ms";
  wake_retry_timer_.start(wake_backoff_ms_, [this] {
    if (state_ == State::kWaking && !waiters_.empty()) maybeSendWake();
  });
}

void UpstreamWaker::armHoldTimer() {
  if (hold_timer_.pending() || waiters_.empty()) return;
  int64_t delay = std::max<int64_t>(0, waiters_.front()->hold_deadline_ms_ - loop_.nowMs());
  hold_timer_.start(delay, [this] {
    expireHolds();
  });
}

void UpstreamWaker::expireHolds() {
  // Deadlines grow with arrival order, so the expired ones are at the front.
  int expired = 0;
  while (!waiters_.empty() && waiters_.front()->hold_deadline_ms_ <= loop_.nowMs()) {
    WakeWaiter* w = waiters_.front();
    waiters_.pop_front();
    unheld(w);
    stats_.held_clients = static_cast<int64_t>(waiters_.size());
    ++expired;
    w->onWakeFailed(WakeFailure::kHoldTimeout);
  }
  if (expired) log::info() << expired << " held client(s) timed out waiting for the game";
  armHoldTimer();
}

void UpstreamWaker::failAll(WakeFailure why) {
  std::list<WakeWaiter*> failed;
  failed.swap(waiters_);
  stats_.held_clients = 0;
  hold_timer_.cancel();
  next_check_timer_.cancel();
  setState(State::kDown);
  wake_wanted_ = false;
  for (WakeWaiter* w : failed) unheld(w);
  for (WakeWaiter* w : failed) w->onWakeFailed(why);
}

}  // namespace gsp::proxy
