#include "proxy_config.h"

#include <sched.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "core/log.h"
#include "option_sources.h"

namespace gsp::proxy {

namespace po = boost::program_options;

const char* protocolName(Protocol p) { return p == Protocol::kTcp ? "tcp" : "udp"; }

namespace {

constexpr const char* kEnvPrefix = "GSP_PROXY_";

bool parseUint(const std::string& s, uint64_t max, uint64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

bool parsePort(const std::string& s, uint16_t* port) {
  uint64_t v = 0;
  if (!parseUint(s, 65535, &v) || v == 0) return false;
  *port = static_cast<uint16_t>(v);
  return true;
}

// "A" or "A-B" with 1 <= A <= B <= 65535.
bool parseRange(const std::string& s, uint16_t* first, uint16_t* last) {
  size_t dash = s.find('-');
  if (dash == std::string::npos) {
    if (!parsePort(s, first)) return false;
    *last = *first;
    return true;
  }
  return parsePort(s.substr(0, dash), first) && parsePort(s.substr(dash + 1), last) && *first <= *last;
}

std::vector<std::string> splitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string trimTrailingNewlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

int defaultWorkers() {
  cpu_set_t set;
  int cpus = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 1;
  // Half the CPUs: the game itself runs on the same host. On two cores one
  // loop relays faster than two (measured with bench/proxy).
  return std::max(1, std::min(cpus / 2, 4));
}

// A numeric upstream that is the listen address (or loopback under a wildcard
// listen address) on a port the proxy itself owns.
bool pointsAtItself(const ProxyConfig& c) {
  const std::string& up = c.upstream_host;
  const std::string& at = c.listen_address;
  bool wildcard = at == "0.0.0.0" || at == "::";
  bool loopback = up.rfind("127.", 0) == 0 || up == "::1" || up == "localhost";
  if (!(up == at || (wildcard && (loopback || up == "0.0.0.0" || up == "::")))) return false;
  for (const auto& p : c.ports) {
    if (p.public_port == p.upstream_port) return true;
  }
  return false;
}

struct RawOptions {
  std::vector<std::string> ports;
  std::string wake_url, activity_url, secret_file;
  std::string hold_timeout, connect_timeout, probe_interval, udp_idle_timeout, activity_interval,
      webhook_timeout, udp_player_after, udp_wake_window, tcp_idle_timeout;
  std::string relay;
  std::string query;
  bool minecraft = false;
};

// "a2s:2457" or "satisfactory:7777": the protocol, and a public UDP port of --port.
bool parseQuery(const std::string& text, ProxyConfig& c, std::string* error) {
  size_t colon = text.find(':');
  const std::string protocol = text.substr(0, colon);
  uint64_t port = 0;
  if (colon == std::string::npos || !parseUint(text.substr(colon + 1), 65535, &port) || port == 0) {
    *error = "--query: '" + text + "' is not PROTOCOL:PORT (e.g. a2s:2457, satisfactory:7777)";
    return false;
  }
  if (protocol == "a2s") {
    c.query = QueryProtocol::kA2s;
  } else if (protocol == "satisfactory") {
    c.query = QueryProtocol::kSatisfactory;
  } else {
    *error = "--query: '" + protocol + "' is not one of a2s, satisfactory";
    return false;
  }
  c.query_port = static_cast<uint16_t>(port);
  for (const auto& p : c.ports) {
    if (p.protocol == Protocol::kUdp && p.public_port == c.query_port) return true;
  }
  *error = "--query: port " + std::to_string(port) + " is not one of the udp ports of --port";
  return false;
}

po::options_description describe(ProxyConfig& c, RawOptions& r) {
  po::options_description d(
      "gsp-proxy: the sidecar of one game server. It owns the public ports, wakes the game on\n"
      "the first client traffic and relays both ways once the game accepts.\n"
      "Every option can also be set by the environment variable GSP_PROXY_<NAME>\n"
      "(upper case, '-' as '_', e.g. GSP_PROXY_HOLD_TIMEOUT=90s); a flag wins over the\n"
      "environment. Durations take a unit: 250ms, 5s, 2m, 1h (a bare number is seconds).\n"
      "The webhook secret is read from --secret-file or GSP_PROXY_SECRET, never a flag.\n\n"
      "Options",
      110, 55);
  d.add_options()
      ("help,h", "print this help and exit")
      ("port", po::value(&r.ports)->composing(),
       "public port(s) to own, repeatable or comma-separated: PROTO:PORT[-LAST][=UPSTREAM], "
       "PROTO tcp, udp or tcp+udp; e.g. tcp:25565, udp:2456-2457, tcp+udp:7777, tcp:80=8080 "
       "(default upstream port = public port)")
      ("listen-address", po::value(&c.listen_address)->default_value(c.listen_address),
       "IPv4 or IPv6 address the public ports bind to")
      ("upstream-host", po::value(&c.upstream_host)->default_value(c.upstream_host),
       "the game's host name (its network alias) or address; resolved again after failures")
      ("wake-url", po::value(&r.wake_url),
       "where the signed wake call goes: http://HOST[:PORT]/PATH or unix:SOCKET_PATH:/PATH "
       "(required)")
      ("activity-url", po::value(&r.activity_url),
       "where signed activity reports go, same forms (default: the wake URL with its last "
       "path segment replaced by 'activity')")
      ("server-id", po::value(&c.server_id), "this game server's id, sent in every call (required)")
      ("secret-file", po::value(&r.secret_file),
       "file holding the webhook secret (else GSP_PROXY_SECRET must be set)")
      ("hold-timeout", po::value(&r.hold_timeout)->default_value("120s"),
       "how long a client is held while the game wakes before it is closed")
      ("connect-timeout", po::value(&r.connect_timeout)->default_value("5s"),
       "upstream connect timeout")
      ("probe-interval", po::value(&r.probe_interval)->default_value("250ms"),
       "how often a waking upstream is probed")
      ("udp-player-after", po::value(&r.udp_player_after)->default_value("30s"),
       "a UDP session counts as a player (reported, keeps the server awake) once it has carried "
       "traffic both ways this long: a one-off query exchange never does")
      ("udp-wake-window", po::value(&r.udp_wake_window)->default_value("10s"),
       "a UDP source that is not a recognised query wakes the game with its second datagram within "
       "this long (real clients retry their join); a lone datagram (a scanner's probe) never does")
      ("udp-idle-timeout", po::value(&r.udp_idle_timeout)->default_value("120s"),
       "a UDP session with no traffic for this long is removed")
      ("activity-interval", po::value(&r.activity_interval)->default_value("60s"),
       "period of activity reports (one is also sent when the last client leaves)")
      ("webhook-timeout", po::value(&r.webhook_timeout)->default_value("5s"),
       "timeout of one backend call")
      ("max-held-clients", po::value(&c.max_held_clients)->default_value(c.max_held_clients),
       "TCP clients and UDP sessions held at once while the game wakes; more are refused")
      ("max-held-per-address", po::value(&c.max_held_per_address)->default_value(c.max_held_per_address),
       "of those, from one IP address: one address cannot take every slot")
      ("max-udp-sessions-per-address",
       po::value(&c.max_udp_sessions_per_address)->default_value(c.max_udp_sessions_per_address),
       "UDP sessions (source ports) of one IP address at once; more are refused")
      ("tcp-idle-timeout", po::value(&r.tcp_idle_timeout)->default_value("30m"),
       "a relayed TCP connection with no byte either way for this long is closed (0: never)")
      ("hold-buffer-bytes", po::value(&c.hold_buffer_bytes)->default_value(c.hold_buffer_bytes),
       "bytes kept per held client: a TCP client is not read further, a UDP client's further "
       "datagrams are dropped")
      ("hold-budget-bytes", po::value(&c.hold_budget_bytes)->default_value(c.hold_budget_bytes),
       "bytes kept for all held clients together, TCP and UDP: keep it well under the container's "
       "memory limit (the platform gives a quarter of it), so a flood of held clients cannot get "
       "the proxy killed")
      ("udp-hold-datagrams", po::value(&c.udp_hold_datagrams)->default_value(c.udp_hold_datagrams),
       "datagrams buffered per UDP client while the game wakes; more are dropped and counted")
      ("max-clients", po::value(&c.max_clients)->default_value(c.max_clients),
       "TCP connections plus UDP sessions at once; more are refused")
      ("udp-max-datagram", po::value(&c.udp_max_datagram)->default_value(c.udp_max_datagram),
       "largest datagram relayed; larger ones are dropped and counted")
      ("workers", po::value(&c.workers)->default_value(defaultWorkers()),
       "event loops (threads) accepting and relaying TCP while the game runs; default: half the "
       "CPUs this process may use, 1 to 4. Waking, holding and UDP stay on the first one")
      ("relay", po::value(&r.relay)->default_value("splice"),
       "TCP relay: splice (bulk transfers go zero-copy through a pipe, small messages use "
       "recv/send) or copy (always recv/send)")
      ("log-level", po::value(&c.log_level)->default_value(c.log_level), "debug, info, warn or error")
      ("minecraft", po::bool_switch(&r.minecraft),
       "answer Minecraft server-list pings while the game sleeps; only logins wake it")
      ("minecraft-sleeping-motd",
       po::value(&c.minecraft_sleeping_motd)->default_value(c.minecraft_sleeping_motd),
       "server-list text while the game sleeps")
      ("minecraft-starting-motd",
       po::value(&c.minecraft_starting_motd)->default_value(c.minecraft_starting_motd),
       "server-list text while the game starts")
      ("minecraft-kick-message",
       po::value(&c.minecraft_kick_message)->default_value(c.minecraft_kick_message),
       "disconnect text for a login whose hold timed out")
      ("query", po::value(&r.query),
       "answer server-browser queries while the game sleeps or starts, never waking it: "
       "a2s:PORT (Steam A2S on that public UDP port, e.g. Valheim's a2s:2457) or "
       "satisfactory:PORT (Satisfactory's lightweight query on its UDP game port)")
      ("server-name", po::value(&c.server_name)->default_value(c.server_name),
       "the name server browsers show (with a suffix while the game is not up)")
      ("sleeping-suffix", po::value(&c.sleeping_suffix)->default_value(c.sleeping_suffix),
       "added to the name while the game sleeps")
      ("starting-suffix", po::value(&c.starting_suffix)->default_value(c.starting_suffix),
       "added to the name while the game starts")
      ("query-game", po::value(&c.query_game)->default_value(c.query_game), "A2S game description")
      ("query-folder", po::value(&c.query_folder)->default_value(c.query_folder), "A2S game folder")
      ("query-map", po::value(&c.query_map)->default_value(c.query_map), "A2S map (a world's name)")
      ("query-app-id", po::value(&c.query_app_id)->default_value(c.query_app_id), "A2S Steam app id")
      ("query-max-players", po::value(&c.query_max_players)->default_value(c.query_max_players),
       "A2S maximum players");
  return d;
}

bool validDuration(const std::string& name, const std::string& text, int64_t min_ms,
                   int64_t max_ms, int64_t* out, std::string* error) {
  std::string why;
  if (!parseDurationMs(text, out, &why)) {
    *error = "--" + name + ": " + why;
    return false;
  }
  if (*out < min_ms || *out > max_ms) {
    *error = "--" + name + ": " + text + " is out of range (" + std::to_string(min_ms) + "ms.." +
             std::to_string(max_ms / 1000) + "s)";
    return false;
  }
  return true;
}

template <typename T>
bool validRange(const std::string& name, T value, T min, T max, std::string* error) {
  if (value >= min && value <= max) return true;
  *error = "--" + name + ": " + std::to_string(value) + " is out of range (" +
           std::to_string(min) + ".." + std::to_string(max) + ")";
  return false;
}

bool validate(ProxyConfig& c, const RawOptions& r, const std::map<std::string, std::string>& env,
              std::string* error) {
  for (const auto& spec : r.ports) {
    for (const auto& one : splitList(spec)) {
      std::string why;
      if (!parsePortSpec(one, &c.ports, &why)) {
        *error = "--port: " + why;
        return false;
      }
    }
  }
  if (c.ports.empty()) {
    *error = "--port: at least one public port is required (e.g. --port=tcp:7000)";
    return false;
  }
  std::set<std::pair<int, int>> seen;
  for (const auto& p : c.ports) {
    if (!seen.emplace(static_cast<int>(p.protocol), p.public_port).second) {
      *error = std::string("--port: ") + protocolName(p.protocol) + " port " +
               std::to_string(p.public_port) + " is listed twice";
      return false;
    }
  }
  if (c.upstream_host.empty()) {
    *error = "--upstream-host: must not be empty";
    return false;
  }
  if (pointsAtItself(c)) {
    *error = "--upstream-host: " + c.upstream_host + " with an upstream port equal to its public port is the "
             "proxy itself (every client would open another connection to it)";
    return false;
  }
  if (c.server_id.empty()) {
    *error = "--server-id: required (the id the backend knows this server by)";
    return false;
  }
  for (char ch : c.server_id) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') {
      *error = "--server-id: only letters, digits, '-' and '_' are allowed";
      return false;
    }
  }
  std::string why;
  if (r.wake_url.empty()) {
    *error = "--wake-url: required (http://HOST[:PORT]/PATH or unix:SOCKET:/PATH)";
    return false;
  }
  if (!parseBackendUrl(r.wake_url, &c.wake_url, &why)) {
    *error = "--wake-url: " + why;
    return false;
  }
  if (r.activity_url.empty()) {
    c.activity_url = c.wake_url;
    size_t slash = c.activity_url.path.rfind('/');
    c.activity_url.path = c.activity_url.path.substr(0, slash + 1) + "activity";
    c.activity_url.text = "(derived) " + c.activity_url.path;
  } else if (!parseBackendUrl(r.activity_url, &c.activity_url, &why)) {
    *error = "--activity-url: " + why;
    return false;
  }
  if (!r.secret_file.empty()) {
    std::ifstream in(r.secret_file, std::ios::binary);
    if (!in) {
      *error = "--secret-file: cannot read " + r.secret_file;
      return false;
    }
    std::ostringstream s;
    s << in.rdbuf();
    c.secret = trimTrailingNewlines(s.str());
  } else {
    auto it = env.find("GSP_PROXY_SECRET");
    if (it != env.end()) c.secret = trimTrailingNewlines(it->second);
  }
  if (c.secret.size() < 16) {
    *error = c.secret.empty()
                 ? "secret: set --secret-file or GSP_PROXY_SECRET (the webhook secret)"
                 : "secret: too short (at least 16 bytes)";
    return false;
  }
  if (!validDuration("hold-timeout", r.hold_timeout, 100, 3600000, &c.hold_timeout_ms, error) ||
      !validDuration("connect-timeout", r.connect_timeout, 10, 600000, &c.connect_timeout_ms, error) ||
      !validDuration("probe-interval", r.probe_interval, 10, 60000, &c.probe_interval_ms, error) ||
      !validDuration("udp-idle-timeout", r.udp_idle_timeout, 1000, 86400000, &c.udp_idle_timeout_ms,
                     error) ||
      !validDuration("activity-interval", r.activity_interval, 100, 86400000,
                     &c.activity_interval_ms, error) ||
      !validDuration("webhook-timeout", r.webhook_timeout, 100, 600000, &c.webhook_timeout_ms, error) ||
      !validDuration("udp-player-after", r.udp_player_after, 0, 3600000, &c.udp_player_after_ms, error) ||
      !validDuration("udp-wake-window", r.udp_wake_window, 100, 600000, &c.udp_wake_window_ms, error) ||
      !validDuration("tcp-idle-timeout", r.tcp_idle_timeout, 0, 604800000, &c.tcp_idle_timeout_ms, error))
    return false;
  if (!validRange("max-held-clients", c.max_held_clients, 1, 1000000, error) ||
      !validRange<int64_t>("hold-buffer-bytes", c.hold_buffer_bytes, 0, 64 << 20, error) ||
      !validRange<int64_t>("hold-budget-bytes", c.hold_budget_bytes, 0, int64_t(1) << 30, error) ||
      !validRange("udp-hold-datagrams", c.udp_hold_datagrams, 0, 100000, error) ||
      !validRange("max-clients", c.max_clients, 1, 1000000, error) ||
      !validRange("udp-max-datagram", c.udp_max_datagram, 1, 65507, error) ||
      !validRange("workers", c.workers, 1, 64, error) ||
      !validRange("query-max-players", c.query_max_players, 0, 255, error) ||
      !validRange("max-held-per-address", c.max_held_per_address, 1, 1000000, error) ||
      !validRange("max-udp-sessions-per-address", c.max_udp_sessions_per_address, 1, 1000000, error))
    return false;
  if (!r.query.empty() && !parseQuery(r.query, c, error)) return false;
  if (r.relay == "splice") {
    c.relay_mode = RelayMode::kSplice;
  } else if (r.relay == "copy") {
    c.relay_mode = RelayMode::kCopy;
  } else {
    *error = "--relay: '" + r.relay + "' is not one of splice, copy";
    return false;
  }
  log::Level level;
  if (!log::parseLevel(c.log_level, &level)) {
    *error = "--log-level: '" + c.log_level + "' is not one of debug, info, warn, error";
    return false;
  }
  c.minecraft = r.minecraft;
  if (c.minecraft && c.ports.size() > 0) {
    bool any_tcp = false;
    for (const auto& p : c.ports) any_tcp |= p.protocol == Protocol::kTcp;
    if (!any_tcp) {
      *error = "--minecraft: needs a tcp port";
      return false;
    }
  }
  return true;
}

}  // namespace

bool parseDurationMs(const std::string& text, int64_t* ms, std::string* error) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  uint64_t n = 0;
  if (i == 0 || !parseUint(text.substr(0, i), 1000000000, &n)) {
    *error = "'" + text + "' is not a duration (e.g. 250ms, 5s, 2m, 1h)";
    return false;
  }
  std::string unit = text.substr(i);
  int64_t scale;
  if (unit == "ms") scale = 1;
  else if (unit == "s" || unit.empty()) scale = 1000;
  else if (unit == "m") scale = 60000;
  else if (unit == "h") scale = 3600000;
  else {
    *error = "'" + text + "' has an unknown unit (use ms, s, m or h)";
    return false;
  }
  *ms = static_cast<int64_t>(n) * scale;
  return true;
}

bool parsePortSpec(const std::string& text, std::vector<PortMapping>* out, std::string* error) {
  size_t colon = text.find(':');
  if (colon == std::string::npos) {
    *error = "'" + text + "' needs a protocol, e.g. tcp:7000 or udp:2456-2457";
    return false;
  }
  std::string proto = text.substr(0, colon), rest = text.substr(colon + 1);
  std::vector<Protocol> protocols;
  if (proto == "tcp") protocols = {Protocol::kTcp};
  else if (proto == "udp") protocols = {Protocol::kUdp};
  else if (proto == "tcp+udp" || proto == "udp+tcp") protocols = {Protocol::kTcp, Protocol::kUdp};
  else {
    *error = "'" + text + "': protocol must be tcp, udp or tcp+udp";
    return false;
  }
  std::string pub = rest, up;
  size_t eq = rest.find('=');
  if (eq != std::string::npos) {
    pub = rest.substr(0, eq);
    up = rest.substr(eq + 1);
  }
  uint16_t first, last, up_first, up_last;
  if (!parseRange(pub, &first, &last)) {
    *error = "'" + text + "': bad port or range (1-65535, first <= last)";
    return false;
  }
  if (up.empty()) {
    up_first = first;
  } else if (!parseRange(up, &up_first, &up_last) ||
             (up_last != up_first && up_last - up_first != last - first)) {
    *error = "'" + text + "': bad upstream port (a port, or a range as long as the public one)";
    return false;
  }
  if (static_cast<int>(up_first) + (last - first) > 65535) {
    *error = "'" + text + "': upstream range goes past 65535";
    return false;
  }
  for (Protocol p : protocols) {
    for (int port = first; port <= last; ++port) {
      out->push_back({p, static_cast<uint16_t>(port), static_cast<uint16_t>(up_first + (port - first))});
    }
  }
  return true;
}

bool parseBackendUrl(const std::string& text, BackendUrl* out, std::string* error) {
  BackendUrl u;
  u.text = text;
  const std::string kHttp = "http://", kUnix = "unix:";
  if (text.compare(0, kUnix.size(), kUnix) == 0) {
    std::string rest = text.substr(kUnix.size());
    size_t sep = rest.find(":/");
    if (rest.empty() || rest[0] != '/' || sep == std::string::npos) {
      *error = "'" + text + "': expected unix:/path/to.sock:/request/path";
      return false;
    }
    u.is_unix = true;
    u.unix_path = rest.substr(0, sep);
    u.path = rest.substr(sep + 1);
    u.host = "localhost";
    if (u.unix_path.size() >= 108) {
      *error = "'" + text + "': socket path too long";
      return false;
    }
  } else if (text.compare(0, kHttp.size(), kHttp) == 0) {
    std::string rest = text.substr(kHttp.size());
    size_t slash = rest.find('/');
    std::string hostport = slash == std::string::npos ? rest : rest.substr(0, slash);
    u.path = slash == std::string::npos ? "/" : rest.substr(slash);
    std::string port_text;
    if (!hostport.empty() && hostport[0] == '[') {
      size_t close = hostport.find(']');
      if (close == std::string::npos) {
        *error = "'" + text + "': unclosed [ in IPv6 address";
        return false;
      }
      if (close + 1 < hostport.size()) {
        if (hostport[close + 1] != ':') {
          *error = "'" + text + "': bad host";
          return false;
        }
        port_text = hostport.substr(close + 2);
        if (port_text.empty()) port_text = "x";
      }
      hostport = hostport.substr(1, close - 1);
    } else {
      size_t colon = hostport.rfind(':');
      if (colon != std::string::npos) {
        port_text = hostport.substr(colon + 1);
        if (port_text.empty()) port_text = "x";
        hostport = hostport.substr(0, colon);
      }
    }
    if (!port_text.empty() && !parsePort(port_text, &u.port)) {
      *error = "'" + text + "': bad port";
      return false;
    }
    if (hostport.empty()) {
      *error = "'" + text + "': missing host";
      return false;
    }
    u.host = hostport;
  } else {
    *error = "'" + text + "': must start with http:// or unix: (https is not spoken; the backend "
             "listener is internal)";
    return false;
  }
  for (char c : u.path) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      *error = "'" + text + "': request path contains a space or control character";
      return false;
    }
  }
  *out = u;
  return true;
}

ProxyConfigLoad loadProxyConfig(int argc, const char* const* argv,
                                const std::map<std::string, std::string>& env) {
  ProxyConfigLoad load;
  RawOptions raw;
  po::options_description desc = describe(load.config, raw);
  switch (parseFlagsAndEnvironment(desc, argc, argv, env, kEnvPrefix, &load.message)) {
    case OptionsOutcome::kHelp:
      load.outcome = ProxyConfigLoad::Outcome::kHelp;
      return load;
    case OptionsOutcome::kError:
      return load;
    case OptionsOutcome::kParsed:
      break;
  }
  if (!validate(load.config, raw, env, &load.message)) return load;
  load.outcome = ProxyConfigLoad::Outcome::kRun;
  return load;
}

}  // namespace gsp::proxy
