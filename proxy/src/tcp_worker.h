// TcpWorker: an extra event loop on its own thread that accepts and relays
// TCP clients while the game runs, so relaying uses more than one core. It
// owns a listener per TCP port (SO_REUSEPORT beside the control loop's) and
// their sessions. Clients that must wait for the game, and refused connects,
// go to the control loop through the callbacks in its context.
// Construct, listen() and start() on the control thread; stop() joins.
#pragma once

#include <memory>
#include <thread>
#include <vector>

#include "proxy_context.h"
#include "tcp_listener.h"

namespace gsp::proxy {

class TcpWorker {
 public:
  // `on_client_gone`, `on_player_joined`, `hand_off` and `report_failure` run
  // on this worker's thread and must post to the control loop themselves.
  TcpWorker(const ProxyConfig& config, ProxyStats& stats, UpstreamView& view, std::function<void()> on_client_gone,
            std::function<void()> on_player_joined, std::function<void(TcpHandOff)> hand_off,
            std::function<void()> report_failure);
  ~TcpWorker();
  TcpWorker(const TcpWorker&) = delete;
  TcpWorker& operator=(const TcpWorker&) = delete;

  Status listen();
  void start();
  void stop();

 private:
  EventLoop loop_;
  ProxyContext ctx_;
  std::vector<std::unique_ptr<TcpListener>> listeners_;
  std::thread thread_;
};

}  // namespace gsp::proxy
