// DemoConfig: the settings of gsp-demo-game, from flags and GSP_DEMO_*
// environment variables (flag wins). Defaults match the catalog entry
// (tcp and udp port 7000, data in /data). Plain value.
#pragma once

#include <map>
#include <string>

namespace gsp::demo {

// Which game's server query the demo game answers, as a stand-in for that game.
enum class DemoQuery {
  kNone,
  kA2s,           // Steam A2S on udp_port + 1, as Valheim
  kSatisfactory,  // Satisfactory's lightweight query on udp_port, beside the echo
};

struct DemoConfig {
  std::string listen_address = "0.0.0.0";
  int tcp_port = 7000;  // 0 disables TCP
  int udp_port = 7000;  // 0 disables UDP
  std::string data_dir = "/data";
  int burn_cpu_threads = 0;  // threads spinning from the start (SIGUSR1 toggles one more)
  int save_ms = 0;           // how long saving takes on SIGTERM, like a real game's world
  std::string log_level = "info";
  DemoQuery query = DemoQuery::kNone;
  std::string query_name = "Demo Game";  // the server name queries report
};

struct DemoConfigLoad {
  enum class Outcome { kRun, kHelp, kError };
  Outcome outcome = Outcome::kError;
  DemoConfig config;
  std::string message;
};

DemoConfigLoad loadDemoConfig(int argc, const char* const* argv, const std::map<std::string, std::string>& env);

}  // namespace gsp::demo
