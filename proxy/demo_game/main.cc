// gsp-demo-game: loads its save file, serves TCP and UDP echo, and on SIGTERM
// or SIGINT writes the save file and exits 0. SIGUSR1 toggles a CPU burner.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "core/log.h"
#include "demo_config.h"
#include "echo_server.h"
#include "environment.h"
#include "signal_watcher.h"

using namespace gsp;
using namespace gsp::demo;

namespace {

// What the demo game's server queries report: an empty Valheim-like server
// (Valheim's Steam app id, so tools that look games up by it recognize it).
constexpr uint32_t kValheimAppId = 892970;
constexpr uint8_t kMaxPlayers = 10;
constexpr uint32_t kSatisfactoryBuild = 1;  // the demo game's "changelist number"

proxy::A2sInfo a2sInfo(const DemoConfig& c) {
  proxy::A2sInfo info;
  info.name = c.query_name;
  info.map = "demo";
  info.folder = "demo";
  info.game = "Demo Game";
  info.version = GSP_VERSION;
  info.app_id = kValheimAppId;
  info.max_players = kMaxPlayers;
  info.game_port = static_cast<uint16_t>(c.udp_port);
  return info;
}

// Spinning threads for "this server is busy" tests; each checks its flag.
class CpuBurner {
 public:
  ~CpuBurner() {
    for (auto& f : flags_) *f = false;
    for (auto& t : threads_) t.join();
  }
  void add() {
    flags_.push_back(std::make_unique<std::atomic<bool>>(true));
    std::atomic<bool>* flag = flags_.back().get();
    threads_.emplace_back([flag] {
      volatile uint64_t x = 0;
      while (flag->load(std::memory_order_relaxed)) x = x + 1;
    });
  }
  void removeLast() {
    if (threads_.empty()) return;
    *flags_.back() = false;
    threads_.back().join();
    threads_.pop_back();
    flags_.pop_back();
  }
  size_t count() const { return threads_.size(); }

 private:
  std::vector<std::unique_ptr<std::atomic<bool>>> flags_;
  std::vector<std::thread> threads_;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    DemoConfigLoad load = loadDemoConfig(argc, argv, proxy::processEnvironment());
    if (load.outcome == DemoConfigLoad::Outcome::kHelp) {
      std::cout << load.message;
      return 0;
    }
    if (load.outcome == DemoConfigLoad::Outcome::kError) {
      std::cerr << "gsp-demo-game: " << load.message << "\n";
      return 2;
    }
    const DemoConfig& c = load.config;
    log::Level level;
    log::parseLevel(c.log_level, &level);
    log::setLevel(level);
    signal(SIGPIPE, SIG_IGN);

    SaveFile save(c.data_dir);
    SaveState state;
    std::string error;
    if (!save.load(&state, &error)) {
      log::error() << error;
      return 1;
    }
    state.starts++;
    // Write at once: a data directory that cannot be written fails now, not at SIGTERM.
    if (!save.store(state, &error)) {
      log::error() << "cannot write the save file: " << error;
      return 1;
    }

    proxy::EventLoop loop;
    CpuBurner burner;
    for (int i = 0; i < c.burn_cpu_threads; ++i) burner.add();
    const size_t base_burners = burner.count();
    proxy::SignalWatcher signals(loop, {SIGTERM, SIGINT, SIGUSR1}, [&](int sig) {
      if (sig == SIGUSR1) {
        if (burner.count() > base_burners) burner.removeLast();
        else burner.add();
        log::info() << "cpu burner threads: " << burner.count();
        return;
      }
      log::info() << "signal " << sig << ": saving and stopping";
      loop.stop();
    });
    EchoServer server(loop, state);
    proxy::SocketAddress addr;
    if (!proxy::SocketAddress::fromNumeric(c.listen_address, 0, &addr)) {
      log::error() << "--listen-address: not an IP address: " << c.listen_address;
      return 2;
    }
    if (c.tcp_port) {
      addr.setPort(static_cast<uint16_t>(c.tcp_port));
      Status s = server.listenTcp(addr);
      if (!s.isOk()) {
        log::error() << s.message();
        return 1;
      }
    }
    if (c.udp_port) {
      addr.setPort(static_cast<uint16_t>(c.udp_port));
      Status s = server.bindUdp(addr);
      if (!s.isOk()) {
        log::error() << s.message();
        return 1;
      }
    }
    if (c.query == DemoQuery::kSatisfactory) server.answerSatisfactoryPolls(c.query_name, kSatisfactoryBuild);
    if (c.query == DemoQuery::kA2s) {
      addr.setPort(static_cast<uint16_t>(c.udp_port + 1));  // Valheim's query port
      Status s = server.bindA2s(addr, a2sInfo(c));
      if (!s.isOk()) {
        log::error() << s.message();
        return 1;
      }
    }
    log::info() << "demo game up (start #" << state.starts << "): tcp " << c.tcp_port << ", udp " << c.udp_port
                << ", save " << save.path();
    loop.run();
    if (c.save_ms > 0) {
      log::info() << "saving the world (" << c.save_ms << " ms)";
      std::this_thread::sleep_for(std::chrono::milliseconds(c.save_ms));
    }
    if (!save.store(state, &error)) {
      log::error() << "saving failed: " << error;
      return 1;
    }
    log::info() << "saved: " << state.joins << " joins, " << state.bytes_echoed << " bytes echoed";
    return 0;
  } catch (const std::exception& e) {
    log::error() << "fatal: " << e.what();
    return 1;
  }
}
