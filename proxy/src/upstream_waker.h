// UpstreamWaker: knows whether the game accepts, holds the clients that arrive
// while it does not, wakes it and releases the held clients in arrival order
// once a probe succeeds. While clients are held, the probe is the first held
// client's own connection (TCP) or its own datagrams (UDP), so the first
// client the game sees is a real one, not a connect-and-leave of ours; only
// with nobody waiting (at start, or a start by the backend) is a bare probe used. One wake call per waking period: at most one in
// flight, not repeated while an accepted wake is fresh, retried with
// exponential backoff when the backend cannot be reached.
// Does not own the waiters; a waiter calls release() before it goes away.
// Runs on the control loop only; other loops read its UpstreamView.
#pragma once

#include <functional>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>

#include "backend_client.h"
#include "event_loop.h"
#include "proxy_stats.h"
#include "resolver.h"
#include "upstream_probe.h"
#include "upstream_view.h"
#include "webhook_request.h"

namespace gsp::proxy {

enum class WakeFailure {
  kRefused,      // the backend said no (4xx)
  kUnpaid,       // the backend said no because the owner cannot pay (402)
  kLocked,       // the game stopped after errors; only its owner may start it (423)
  kHoldTimeout,  // the game did not come up in time
};

// A client waiting for the game (a held TCP connection or a UDP session).
class WakeWaiter {
 public:
  virtual ~WakeWaiter() = default;
  // The game accepts; `upstream` is its address with port 0.
  virtual void onUpstreamReady(const SocketAddress& upstream) = 0;
  // The wake was refused or the hold timed out: close the client.
  virtual void onWakeFailed(WakeFailure why) = 0;
  // Be the readiness probe: try the game at `upstream` (port 0) with this
  // client's own connection or datagrams, within `window_ms`. On success the
  // client relays from then on; then done(true). On failure it is held as
  // before; done(false). False (and no call of done) when it cannot probe.
  virtual bool probeUpstream(const SocketAddress& upstream, int64_t window_ms, std::function<void(bool)> done) {
    (void)upstream;
    (void)window_ms;
    (void)done;
    return false;
  }

 private:
  friend class UpstreamWaker;
  bool held_ = false;
  int64_t hold_deadline_ms_ = 0;
  std::string held_address_;  // its client's address, for the per-address count
  std::list<WakeWaiter*>::iterator position_;
};

class UpstreamWaker {
 public:
  enum class State { kUnknown, kUp, kDown, kChecking, kWaking };

  // Publishes every change of state to `view` for the other loops.
  UpstreamWaker(EventLoop& loop, Resolver& resolver, BackendClient& backend, const ProxyConfig& config,
                ProxyStats& stats, UpstreamView& view);

  State state() const { return state_; }
  bool upstreamUp() const { return state_ == State::kUp; }
  // The game's address (port 0) while it is known to accept; null otherwise.
  const SocketAddress* upstream() const { return state_ == State::kUp ? &address_ : nullptr; }

  // Startup: find out whether the game already runs, without waking it.
  void checkWithoutWaking();
  // A relayed connection to the game failed: forget that it accepts.
  void reportFailure();
  // The backend started the game with no client waiting (SIGUSR1): probe it,
  // without waking it, until it accepts or `for_ms` pass, so the backend
  // learns it is ready (an "upstream-up" report) even if nobody connects.
  void watchStart(int64_t for_ms);
  // Holds `waiter` (appended: release order is arrival order) and wakes the
  // game if needed. `call` describes the client for the wake's event log.
  // Returns false, holding nothing, when --max-held-clients are already held,
  // or --max-held-per-address from this client's address.
  bool hold(WakeWaiter* waiter, const WakeCall& call);
  // Forgets `waiter` (it closed). Safe to call when not held.
  void release(WakeWaiter* waiter);
  size_t heldCount() const { return waiters_.size(); }
  // Called each time the game starts accepting after it did not (or was not
  // known to): the backend learns at once that the server is ready.
  void setOnUp(std::function<void()> on_up) { on_up_ = std::move(on_up); }

 private:
  void setState(State state);
  // `waiter` is no longer held (it left the list): its address's count goes down.
  void unheld(WakeWaiter* waiter);
  void startCheck();
  void onCheckDone(bool ready);
  // The held client `w` probed the game: it relays already when `ready`.
  void onWaiterProbed(WakeWaiter* w, bool ready);
  void maybeSendWake();
  void onWakeAnswer(int status, const std::string& error);
  void armHoldTimer();
  void expireHolds();
  void failAll(WakeFailure why);

  EventLoop& loop_;
  Resolver& resolver_;
  BackendClient& backend_;
  const ProxyConfig& config_;
  ProxyStats& stats_;
  UpstreamView& view_;
  Protocol probe_protocol_ = Protocol::kTcp;
  uint16_t probe_port_ = 0;

  State state_ = State::kUnknown;
  SocketAddress address_;
  bool wake_wanted_ = false;             // a check that fails should wake
  std::unique_ptr<UpstreamProbe> probe_;
  bool check_in_flight_ = false;
  WakeWaiter* probing_ = nullptr;        // the held client probing the game right now
  LoopTimer next_check_timer_{loop_};
  int64_t watch_until_ms_ = 0;           // watchStart(): probe until then with no waiters

  std::function<void()> on_up_;
  std::list<WakeWaiter*> waiters_;
  std::unordered_map<std::string, int> held_per_address_;
  LoopTimer hold_timer_{loop_};
  WakeCall first_call_;                  // who started this waking period

  bool wake_in_flight_ = false;
  int64_t wake_accepted_at_ms_ = -1;     // monotonic; -1 = none this period
  int64_t wake_backoff_ms_ = 0;
  LoopTimer wake_retry_timer_{loop_};
};

}  // namespace gsp::proxy
