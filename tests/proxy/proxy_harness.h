// ProxyHarness: one integration-test setup - a temp dir, a signed-webhook
// receiver, gsp-proxy on a free public port and gsp-demo-game (started when
// the test says, e.g. after the wake call) on a free upstream port. Everything
// is stopped and removed on destruction. One test thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "process.h"
#include "test_sockets.h"
#include "webhook_receiver.h"

namespace gsp::test {

class ProxyHarness {
 public:
  static constexpr const char* kSecret = "integration-secret-0123456789";

  // `unix_webhook`: the receiver listens on a unix socket in the temp dir.
  explicit ProxyHarness(bool unix_webhook = false);
  ~ProxyHarness();

  // Starts gsp-proxy for "tcp+udp:PUBLIC=GAME" (or `ports`, with {pub} and
  // {game} replaced) plus `extra` flags; waits for its "ready" line.
  bool startProxy(const std::vector<std::string>& extra = {}, const std::string& ports = "tcp+udp:{pub}={game}");
  // Starts gsp-demo-game on the game port (TCP and UDP) and waits until it
  // accepts; with `by_log`, until it says it is up (no connection of ours, so
  // its log shows only the proxy's clients).
  bool startGame(bool by_log = false);
  // How many lines of the game's log contain `text`.
  int gameLogCount(const std::string& text) const;
  int stopGame(int sig);

  uint16_t publicPort() const { return public_port_; }
  uint16_t gamePort() const { return game_port_; }
  WebhookReceiver& hooks() { return *hooks_; }
  Process& proxy() { return proxy_; }
  Process& game() { return game_; }
  const std::string& dir() const { return dir_.path(); }
  // The proxy's log, for assertion messages.
  std::string proxyLog() const { return proxy_.log(); }

 private:
  TempDir dir_;
  uint16_t public_port_;
  uint16_t game_port_;
  std::unique_ptr<WebhookReceiver> hooks_;
  Process proxy_;
  Process game_;
};

std::string proxyBinary();
std::string demoGameBinary();

}  // namespace gsp::test
