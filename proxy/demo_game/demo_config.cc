#include "demo_config.h"

#include <boost/program_options.hpp>

#include <cctype>
#include <sstream>

#include "core/log.h"
#include "option_sources.h"

namespace gsp::demo {

namespace po = boost::program_options;

namespace {

bool parseQuery(const std::string& name, DemoQuery* out) {
  if (name == "none") *out = DemoQuery::kNone;
  else if (name == "a2s") *out = DemoQuery::kA2s;
  else if (name == "satisfactory") *out = DemoQuery::kSatisfactory;
  else return false;
  return true;
}

}  // namespace

DemoConfigLoad loadDemoConfig(int argc, const char* const* argv, const std::map<std::string, std::string>& env) {
  DemoConfigLoad load;
  DemoConfig& c = load.config;
  std::string query = "none";
  po::options_description d(
      "gsp-demo-game: a tiny game-like server for trying the platform offline.\n"
      "TCP echo and UDP echo; a save file in the data directory, written on SIGTERM.\n"
      "With --query it also answers a real game's server query (gamedig, server lists).\n"
      "Each option can be set as GSP_DEMO_<NAME> (upper case, '-' as '_').\n"
      "SIGUSR1 toggles one extra CPU-burning thread.\n\nOptions");
  d.add_options()
      ("help,h", "print this help and exit")
      ("listen-address", po::value(&c.listen_address)->default_value(c.listen_address), "address to bind")
      ("tcp-port", po::value(&c.tcp_port)->default_value(c.tcp_port), "TCP echo port (0: none)")
      ("udp-port", po::value(&c.udp_port)->default_value(c.udp_port), "UDP echo port (0: none)")
      ("data-dir", po::value(&c.data_dir)->default_value(c.data_dir), "where save.json lives")
      ("burn-cpu", po::value(&c.burn_cpu_threads)->default_value(c.burn_cpu_threads),
       "threads that spin on the CPU from the start (for idle-detection tests)")
      ("save-ms", po::value(&c.save_ms)->default_value(c.save_ms),
       "milliseconds the save on SIGTERM takes, as a big world would (for stop and hibernate tests)")
      ("query", po::value(&query)->default_value(query),
       "server query to answer: none; a2s (Steam A2S info, players and rules on UDP port udp-port + 1, "
       "as Valheim); satisfactory (Satisfactory's lightweight query on the UDP port, other datagrams "
       "still echoed)")
      ("query-name", po::value(&c.query_name)->default_value(c.query_name), "server name the query reports")
      ("log-level", po::value(&c.log_level)->default_value(c.log_level),
       "debug, info, warn or error (debug logs each query answered)");
  switch (proxy::parseFlagsAndEnvironment(d, argc, argv, env, "GSP_DEMO_", &load.message)) {
    case proxy::OptionsOutcome::kHelp:
      load.outcome = DemoConfigLoad::Outcome::kHelp;
      return load;
    case proxy::OptionsOutcome::kError:
      return load;
    case proxy::OptionsOutcome::kParsed:
      break;
  }
  auto badPort = [](int p) { return p < 0 || p > 65535; };
  log::Level level;
  if (badPort(c.tcp_port)) load.message = "--tcp-port: must be 0..65535";
  else if (badPort(c.udp_port)) load.message = "--udp-port: must be 0..65535";
  else if (c.tcp_port == 0 && c.udp_port == 0) load.message = "--tcp-port/--udp-port: at least one must be set";
  else if (c.data_dir.empty()) load.message = "--data-dir: must not be empty";
  else if (c.burn_cpu_threads < 0 || c.burn_cpu_threads > 64) load.message = "--burn-cpu: must be 0..64";
  else if (c.save_ms < 0 || c.save_ms > 600000) load.message = "--save-ms: must be 0..600000";
  else if (!log::parseLevel(c.log_level, &level)) load.message = "--log-level: not one of debug, info, warn, error";
  else if (!parseQuery(query, &c.query)) load.message = "--query: not one of none, a2s, satisfactory";
  else if (c.query == DemoQuery::kA2s && (c.udp_port == 0 || c.udp_port == 65535))
    load.message = "--query=a2s: needs a --udp-port below 65535 (the query port is the next one)";
  else if (c.query == DemoQuery::kSatisfactory && c.udp_port == 0)
    load.message = "--query=satisfactory: needs a --udp-port";
  else load.outcome = DemoConfigLoad::Outcome::kRun;
  return load;
}

}  // namespace gsp::demo
