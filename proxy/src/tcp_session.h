// TcpSession: one client connection on a public TCP port, from accept to the
// single close path (finish()). Game up: connect and relay both ways. Game not
// up: hold the client (keeping what it sends, up to --hold-buffer-bytes), let
// the waker wake the game, then connect and replay those bytes first. With
// --minecraft and the game down, a MinecraftGreeter answers server-list pings
// and only a login is held. Relay copies through the shared scratch buffer and,
// once a direction carries bulk data (with --relay=splice), switches that
// direction to zero-copy splice through its own pipe; either way a slow side
// stops reads from the other (bounded memory), and half-closes are forwarded.
// On a TCP worker loop a session only relays; a client that must wait is
// handed to the control loop. Owned by its TcpListener; its loop's thread only.
#pragma once

#include <memory>
#include <string>

#include "minecraft_greeter.h"
#include "proxy_context.h"
#include "upstream_waker.h"

namespace gsp::proxy {

class TcpListener;

class TcpSession : public WakeWaiter {
 public:
  // `counted`: already in stats.tcp_connections (a client handed over by a worker loop).
  TcpSession(ProxyContext& ctx, TcpListener& owner, UniqueFd client, const SocketAddress& peer,
             const PortMapping& mapping, bool counted = false);
  ~TcpSession() override;

  // A client just accepted.
  void start();
  // A client handed over by a worker loop, with what it already read.
  void startAdopted(std::string held, bool client_eof, int connect_attempts);

  void onUpstreamReady(const SocketAddress& upstream) override;
  void onWakeFailed(WakeFailure why) override;
  bool probeUpstream(const SocketAddress& upstream, int64_t window_ms, std::function<void(bool)> done) override;

 private:
  // kProbing: held, and its own upstream connect is the waker's readiness probe.
  enum class State { kGreeting, kSniffing, kConnecting, kHeld, kProbing, kRelaying, kDraining, kClosed };

  // One direction of the relay.
  struct Direction {
    int from = -1;
    int to = -1;
    std::string pending;     // bytes read but not yet written (replay, partial writes)
    size_t pending_off = 0;
    UniqueFd pipe_read, pipe_write;  // splice mode
    size_t in_pipe = 0;
    bool eof = false;        // `from` has no more data
    bool shut = false;       // `to` got shutdown(SHUT_WR)
    bool bulk = false;       // a read filled the scratch buffer: worth a pipe
    bool readable = false;   // `from` may have data (edge-triggered: set by events)
    bool peer_closed = false;  // `from` reported RDHUP/HUP: read on to the EOF
    std::atomic<int64_t>* counter = nullptr;
  };
  enum class Pump { kOk, kError };

  struct Side : IoHandler {
    TcpSession* session = nullptr;
    bool client = false;
    void onIo(uint32_t events) override;
  };

  void onClientIo(uint32_t events);
  void onUpstreamIo(uint32_t events);
  // Gives what held_ took from the hold budget back.
  void releaseHold();
  // Before relaying: read what the client sends into held_. False on error/close.
  bool readIntoHold(uint32_t events);
  void startGreeting();
  void greet();
  // A Minecraft connection while the game runs: read its handshake (a status
  // ping is not a player), then relay it, handshake first.
  void startSniffing(const SocketAddress& upstream);
  void sniff();
  void setNonPlayer(bool non_player);
  void noteTraffic() {
    last_io_ms_ = ctx_.loop.nowMs();
    if (!non_player_) ctx_.noteTraffic();
  }
  // --tcp-idle-timeout: closes a relay silent both ways that long, else looks again then.
  void armIdleCheck();
  // Worker loops: give the client to the control loop (which holds it) and go away.
  void handOff();
  void holdOrConnect();
  void hold();
  void connectUpstream(const SocketAddress& upstream);
  void onConnected(uint32_t events);
  void onConnectFailed(const std::string& why);
  void onProbed(bool connected, uint32_t events);
  void startRelay(bool upstream_readable);
  Pump pump(Direction& d);
  Pump pumpCopy(Direction& d);
  Pump pumpSplice(Direction& d);
  Pump shutWrite(Direction& d);
  // For a read that returned n <= 0: true when it was EOF (keep pumping to
  // pass it on), else false with what pump() returns in *result.
  bool readEnded(Direction& d, ssize_t n, Pump* result);  // after EOF from d.from: pass the half-close on
  bool flushPending(Direction& d, bool* blocked);
  void beforeWrite(const Direction& d);
  void checkDone();
  void sendFinal(const std::string& bytes);  // reply, then close once written
  void finish(const char* why);

  ProxyContext& ctx_;
  TcpListener& owner_;
  UniqueFd client_;
  UniqueFd upstream_;
  SocketAddress peer_;
  PortMapping mapping_;
  Side client_side_, upstream_side_;
  State state_ = State::kConnecting;

  std::string held_;
  int64_t charged_ = 0;     // bytes of held_ taken from ctx_.hold_budget        // client bytes before the relay starts
  bool client_eof_ = false;
  bool hold_full_ = false;  // stopped reading the client at --hold-buffer-bytes
  std::unique_ptr<MinecraftGreeter> greeter_;
  // Not a player (yet): in stats.tcp_non_players, and its traffic keeps no server awake.
  bool non_player_ = false;
  SocketAddress sniff_upstream_;  // kSniffing: where the game runs
  bool minecraft_login_ = false;
  std::string final_;       // reply written before closing (kDraining)
  size_t final_off_ = 0;

  LoopTimer timer_{ctx_.loop};  // connect or greeting timeout
  LoopTimer idle_timer_{ctx_.loop};
  int64_t last_io_ms_ = 0;      // a byte either way
  int connect_attempts_ = 0;
  std::function<void(bool)> probe_done_;  // kProbing: tells the waker
  Direction up_, down_;
  int upstream_writes_ = 0;  // until TCP_NODELAY is set on the upstream (see beforeWrite)
};

}  // namespace gsp::proxy
