// ProxyConfig: every setting of gsp-proxy, read once at start from flags and
// GSP_PROXY_* environment variables (flag > env > default) and validated.
// The shared secret comes from --secret-file or GSP_PROXY_SECRET only, never
// from a flag (it would show in `ps`). A ProxyConfig is a plain value.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gsp::proxy {

enum class Protocol { kTcp, kUdp };
const char* protocolName(Protocol p);

// One public port and the upstream port its traffic goes to.
struct PortMapping {
  Protocol protocol = Protocol::kTcp;
  uint16_t public_port = 0;
  uint16_t upstream_port = 0;
};

// Where a webhook goes: http://host:port/path, or a unix socket plus request path.
struct BackendUrl {
  bool is_unix = false;
  std::string unix_path;   // when is_unix
  std::string host;        // when !is_unix; also the Host header
  uint16_t port = 80;
  std::string path;        // request path, starts with '/'
  std::string text;        // as configured, for log lines
};

enum class RelayMode { kSplice, kCopy };

// A server-browser query the proxy answers itself while the game is not up
// (query_responder.h): Steam's A2S (Valheim's query port) or Satisfactory's
// lightweight query (its UDP game port).
enum class QueryProtocol { kNone, kA2s, kSatisfactory };

struct ProxyConfig {
  std::string listen_address = "0.0.0.0";
  std::vector<PortMapping> ports;
  std::string upstream_host = "game";

  BackendUrl wake_url;
  BackendUrl activity_url;
  std::string server_id;
  std::string secret;

  int64_t hold_timeout_ms = 120000;
  int64_t connect_timeout_ms = 5000;
  int64_t probe_interval_ms = 250;
  int64_t udp_idle_timeout_ms = 120000;
  int64_t udp_player_after_ms = 30000;  // two-way traffic before a UDP session is a player
  int64_t udp_wake_window_ms = 10000;   // a UDP source wakes the game with a 2nd datagram within this
  int64_t activity_interval_ms = 60000;
  int64_t webhook_timeout_ms = 5000;

  int max_held_clients = 1024;
  int max_held_per_address = 64;          // one address cannot take every held slot
  int max_udp_sessions_per_address = 256; // nor every UDP session
  int64_t tcp_idle_timeout_ms = 1800000;  // a relayed TCP connection silent both ways this long is closed
  int64_t hold_buffer_bytes = 65536;
  int64_t hold_budget_bytes = 8 << 20;  // every held client together (hold_budget.h)
  int udp_hold_datagrams = 64;
  int max_clients = 10000;
  int udp_max_datagram = 4096;

  RelayMode relay_mode = RelayMode::kSplice;
  int workers = 1;  // TCP event loops (threads) in all (--workers)
  std::string log_level = "info";

  bool minecraft = false;
  std::string minecraft_sleeping_motd = "Sleeping - join to wake it up";
  std::string minecraft_starting_motd = "Starting... join again in a moment";
  std::string minecraft_kick_message = "Server is starting, try again in a moment";

  QueryProtocol query = QueryProtocol::kNone;
  uint16_t query_port = 0;  // the public UDP port the queries arrive on
  std::string server_name = "Game server";
  std::string sleeping_suffix = " - sleeping, join to wake";
  std::string starting_suffix = " - starting...";
  std::string query_game = "";    // A2S game and folder ("Valheim", "valheim")
  std::string query_folder = "";
  std::string query_map = "";
  uint32_t query_app_id = 0;      // Steam app id (Valheim: 892970)
  int query_max_players = 10;
};

struct ProxyConfigLoad {
  enum class Outcome { kRun, kHelp, kError };
  Outcome outcome = Outcome::kError;
  ProxyConfig config;
  std::string message;  // help text, or the error explaining the bad value
};

// `env` holds the process environment (name -> value); only GSP_PROXY_* is read.
ProxyConfigLoad loadProxyConfig(int argc, const char* const* argv,
                                const std::map<std::string, std::string>& env);

// Parsers exposed for tests. Each returns false and fills *error on bad input.
bool parseDurationMs(const std::string& text, int64_t* ms, std::string* error);
bool parsePortSpec(const std::string& text, std::vector<PortMapping>* out, std::string* error);
bool parseBackendUrl(const std::string& text, BackendUrl* out, std::string* error);

}  // namespace gsp::proxy
