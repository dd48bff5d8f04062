// UdpSession: the traffic of one client address on one public UDP port. Game
// up: datagrams go out on the session's connected upstream socket and replies
// come back through the public port. Game down: datagrams are buffered (at
// most --udp-hold-datagrams and --hold-buffer-bytes, the rest dropped and
// counted) and replayed in order once the game is up. A first datagram alone
// does not wake the game (a scanner's probe, a stray packet): the session is
// pending until a second one arrives within --udp-wake-window (real clients
// retry their join), and a lone one is dropped when the window passes. Owned
// by its UdpPort; loop thread only.
#pragma once

#include <sys/socket.h>

#include <deque>
#include <string>

#include "proxy_context.h"
#include "upstream_waker.h"

namespace gsp::proxy {

class UdpPort;

class UdpSession : public WakeWaiter, public IoHandler {
 public:
  UdpSession(ProxyContext& ctx, UdpPort& port, const SocketAddress& client, std::string key);
  ~UdpSession() override;

  const std::string& key() const { return key_; }
  const SocketAddress& client() const { return client_; }
  int64_t lastActivityMs() const { return last_activity_ms_; }
  bool relaying() const { return state_ == State::kRelaying; }
  // One datagram so far, the game not up: not waking anything yet.
  bool pending() const { return state_ == State::kPending; }
  // The wake window passed with no second datagram: dropped, the session ends.
  void dropLone();
  int upstreamFd() const { return upstream_.get(); }

  // A datagram from the client while not relaying (held or first one).
  void fromClientHeld(const char* data, size_t len);
  // Client datagrams already sent upstream by the port (batched): bookkeeping only.
  void noteSent() {
    last_activity_ms_ = ctx_.loop.nowMs();
    if (!from_client_first_ms_) from_client_first_ms_ = last_activity_ms_;
    notePlayerTraffic();
  }
  // The upstream socket refused a send: the game went away.
  void upstreamFailed();

  void onIo(uint32_t events) override;  // replies from the game
  void onUpstreamReady(const SocketAddress& upstream) override;
  void onWakeFailed(WakeFailure why) override;
  // Sends the held datagrams themselves: an ICMP refusal within the window
  // means "not yet" (they are kept and sent again), silence or a reply "up".
  bool probeUpstream(const SocketAddress& upstream, int64_t window_ms, std::function<void(bool)> done) override;

  void finish(const char* why);

 private:
  enum class State { kNew, kPending, kHeld, kProbing, kRelaying, kClosed };
  bool connect(const SocketAddress& upstream);
  void hold();
  // Becomes a player when it qualifies; notes the traffic of a player.
  void notePlayerTraffic();
  // Drops (and counts) every queued datagram, giving their bytes back to the hold budget.
  void dropQueue();
  // Sends the held datagrams in order; false (the rest kept) when the game refuses.
  bool sendQueued();
  // Takes the oldest held datagram off the queue, its bytes back to the hold budget.
  void popQueued();
  void onProbed(bool ready);

  ProxyContext& ctx_;
  UdpPort& port_;
  SocketAddress client_;
  std::string key_;
  State state_ = State::kNew;
  UniqueFd upstream_;
  std::deque<std::string> queue_;  // held datagrams, oldest first
  int64_t queued_bytes_ = 0;  // also taken from ctx_.hold_budget
  int64_t last_activity_ms_ = 0;
  // When traffic first went each way while relaying; a player once both are
  // older than --udp-player-after (counted in stats.udp_players).
  int64_t from_client_first_ms_ = 0;
  int64_t to_client_first_ms_ = 0;
  bool player_ = false;
  LoopTimer probe_timer_{ctx_.loop};
  size_t probe_sent_ = 0;                 // kProbing: queued datagrams the probe sent
  std::function<void(bool)> probe_done_;  // kProbing: tells the waker
};

}  // namespace gsp::proxy
