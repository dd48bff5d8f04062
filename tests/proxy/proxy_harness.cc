#include "proxy_harness.h"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <thread>

namespace gsp::test {

std::string proxyBinary() { return std::string(GSP_PROXY_BUILD_DIR) + "/gsp-proxy"; }
std::string demoGameBinary() { return std::string(GSP_PROXY_BUILD_DIR) + "/gsp-demo-game"; }

ProxyHarness::ProxyHarness(bool unix_webhook) : public_port_(freePort()), game_port_(freePort()) {
  while (game_port_ == public_port_) game_port_ = freePort();
  hooks_ = std::make_unique<WebhookReceiver>(kSecret, unix_webhook ? dir_.path() + "/webhook.sock" : "");
}

ProxyHarness::~ProxyHarness() {
  proxy_.stop(SIGTERM, 2000);
  game_.stop(SIGTERM, 2000);
}

bool ProxyHarness::startProxy(const std::vector<std::string>& extra, const std::string& ports) {
  std::string spec = ports;
  for (auto [key, value] : {std::pair<std::string, uint16_t>{"{pub}", public_port_}, {"{game}", game_port_}}) {
    size_t at;
    while ((at = spec.find(key)) != std::string::npos) spec.replace(at, key.size(), std::to_string(value));
  }
  std::vector<std::string> argv = {proxyBinary(), "--port=" + spec, "--listen-address=127.0.0.1",
                                   "--upstream-host=127.0.0.1", "--server-id=42",
                                   "--wake-url=" + hooks_->wakeUrl(), "--probe-interval=50ms",
                                   "--log-level=debug"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  if (!proxy_.start(argv, {{"GSP_PROXY_SECRET", kSecret}}, dir_.path() + "/proxy.log")) return false;
  int64_t deadline = nowMs() + 5000;
  while (nowMs() < deadline) {
    if (proxy_.log().find("gsp-proxy ready") != std::string::npos) return true;
    if (!proxy_.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Why it did not come up (a port taken meanwhile, say) belongs in the test's output.
  fprintf(stderr, "gsp-proxy did not become ready; its log:\n%s\n", proxy_.log().c_str());
  return false;
}

bool ProxyHarness::startGame(bool by_log) {
  std::string port = std::to_string(game_port_);
  if (!game_.start({demoGameBinary(), "--listen-address=127.0.0.1", "--tcp-port=" + port, "--udp-port=" + port,
                    "--data-dir=" + dir_.path()},
                   {}, dir_.path() + "/game.log"))
    return false;
  if (!by_log) return waitForTcp(game_port_, 5000);
  for (int waited = 0; waited < 5000; waited += 20) {
    if (gameLogCount("demo game up") > 0) return true;
    sleepMs(20);
  }
  return false;
}

int ProxyHarness::gameLogCount(const std::string& text) const {
  std::string log = game_.log();
  int n = 0;
  for (size_t at = log.find(text); at != std::string::npos; at = log.find(text, at + 1)) ++n;
  return n;
}

int ProxyHarness::stopGame(int sig) { return game_.stop(sig, 3000); }

}  // namespace gsp::test
