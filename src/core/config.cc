#include "core/config.h"

#include <arpa/inet.h>
#include <boost/program_options.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/log.h"
#include "core/subnet_pool.h"

#ifndef GSP_VERSION
#define GSP_VERSION "0.1.0"
#endif
#ifndef GSP_PKGDATADIR
#define GSP_PKGDATADIR "/usr/share/gsp"
#endif
#ifndef GSP_SYSCONFDIR
#define GSP_SYSCONFDIR "/etc"
#endif

namespace po = boost::program_options;

namespace gsp {

namespace {

const char kDefaultConfigFile[] = GSP_SYSCONFDIR "/gsp/gsp.ini";

// Options read from file/env/flags; the raw strings are validated below.
po::options_description describeOptions() {
  po::options_description d("Options (INI key = flag name without dashes; env GSP_SECTION_KEY)");
  d.add_options()
      ("help,h", "print this help and exit")
      ("config", po::value<std::string>()->default_value(kDefaultConfigFile),
       "INI configuration file (a missing default file is ignored)")
      ("web.socket", po::value<std::string>()->default_value("/run/gsp/gsp-web.sock"),
       "FastCGI unix socket to listen on, unless systemd hands over a socket")
      ("web.socket-mode", po::value<std::string>()->default_value("0660"),
       "permissions of the FastCGI socket, in octal (nginx must be able to connect)")
      ("web.threads", po::value<int>()->default_value(8), "worker threads (1-256), each with its own database connection")
      ("web.max-body-bytes", po::value<int64_t>()->default_value(65536),
       "largest accepted request body in bytes (1024-67108864)")
      ("web.page-cache-ms", po::value<int>()->default_value(100),
       "replay the dashboard and billing pages from memory while nothing they show changed; "
       "another process's change (the lifecycle helper's) shows within this many ms (0-10000, 0: off)")
      ("web.templates-dir", po::value<std::string>()->default_value(GSP_PKGDATADIR "/templates"),
       "directory of the page templates")
      ("database.socket", po::value<std::string>()->default_value("/run/mysqld/mysqld.sock"),
       "MariaDB/MySQL unix socket (used when database.host is empty)")
      ("database.host", po::value<std::string>()->default_value(""), "database host for TCP connections")
      ("database.port", po::value<int>()->default_value(3306), "database TCP port (1-65535)")
      ("database.user", po::value<std::string>()->default_value("gsp"), "database user")
      ("database.password", po::value<std::string>()->default_value(""),
       "database password (prefer database.password-file)")
      ("database.password-file", po::value<std::string>()->default_value(""),
       "file holding the database password")
      ("database.name", po::value<std::string>()->default_value("gsp"), "database (schema) name")
      ("auth.mock-login", po::value<bool>()->default_value(false),
       "enable the mock Google/Microsoft sign-in (development only)")
      ("auth.admin-emails", po::value<std::string>()->default_value(""),
       "comma-separated emails of administrators")
      ("auth.session-hours", po::value<int>()->default_value(336), "session lifetime in hours (1-8760)")
      ("billing.signup-credit-cents", po::value<int64_t>()->default_value(500),
       "credit given to a new user, in cents (0-100000000)")
      ("billing.max-deposit-cents", po::value<int64_t>()->default_value(50000),
       "largest single mock deposit, in cents (100-100000000)")
      ("billing.page-size", po::value<int>()->default_value(25), "ledger rows per page (5-500)")
      ("billing.mock-deposits", po::value<bool>()->default_value(false),
       "offer the test \"add funds\" form that credits without any payment (development only)")
      ("servers.public-host", po::value<std::string>()->default_value("localhost"),
       "host name players connect to, shown with each server's port")
      ("servers.publish-address", po::value<std::string>()->default_value("0.0.0.0"),
       "host address on which the proxies publish game ports (127.0.0.1 for local runs)")
      ("servers.port-min", po::value<int>()->default_value(30000), "lowest public game port (1024-65535)")
      ("servers.port-max", po::value<int>()->default_value(30999), "highest public game port (1024-65535)")
      ("servers.max-per-user", po::value<int>()->default_value(10),
       "servers one user may have at once (1-10000); administrators are not limited")
      ("servers.stop-grace-seconds", po::value<int>()->default_value(30),
       "seconds a game gets to save its world when it is put to sleep (1-600)")
      ("servers.crash-loop-minutes", po::value<int>()->default_value(10),
       "a game that crashes again within this many minutes is stopped until its owner starts it (1-1440)")
      ("servers.orphan-grace-seconds", po::value<int>()->default_value(600),
       "seconds after which Docker objects labelled for a deleted or unknown server are removed (5-604800)")
      ("servers.proxy-image", po::value<std::string>()->default_value("gsp-proxy:" GSP_VERSION),
       "image of the sidecar proxy")
      ("servers.proxy-memory-mb", po::value<int>()->default_value(32), "memory limit of each sidecar proxy (8-1024)")
      ("servers.webhook-socket", po::value<std::string>()->default_value("/run/gsp-webhook/webhook.sock"),
       "nginx's internal webhook listener; its folder (holding nothing else) is mounted into every proxy")
      ("servers.webhook-max-skew-seconds", po::value<int>()->default_value(300),
       "webhooks signed longer ago (or ahead) than this are refused (5-3600)")
      ("servers.object-prefix", po::value<std::string>()->default_value("gsp"),
       "prefix of the names and of the gsp.installation label of every Docker object made")
      ("servers.network-pool", po::value<std::string>()->default_value("10.201.0.0/16"),
       "IPv4 block (a.b.c.d/n, n 8-29) that every server's private network takes a subnet of; "
       "it must not overlap the host's own networks")
      ("servers.network-prefix", po::value<int>()->default_value(28),
       "prefix length of each server's subnet (the pool's to 29): the default /16 in /28s is 4096 servers")
      ("agent.socket", po::value<std::string>()->default_value("/run/gsp-agent/agent.sock"),
       "gsp-agent's request socket (SOCK_SEQPACKET)")
      ("agent.socket-group", po::value<std::string>()->default_value("gsp"),
       "group of the agent's socket (mode 0660): the group of the programs that may ask")
      ("agent.allowed-users", po::value<std::string>()->default_value("gsp"),
       "comma-separated users whose requests the agent answers (root always)")
      ("agent.max-jobs", po::value<int>()->default_value(8),
       "jobs the agent runs at once (2-64); slow ones never take the last two, so wakes never wait")
      ("agent.poll-ms", po::value<int>()->default_value(500),
       "how often the agent looks for queued jobs it was not told about (50-60000)")
      ("agent.timeout-ms", po::value<int>()->default_value(10000),
       "how long a program waits for the agent's answer (100-600000)")
      ("backup.target", po::value<std::string>()->default_value("local"),
       "where backups go: local (backup.local-dir) or gcs (a Google Cloud Storage bucket)")
      ("backup.gcs-bucket", po::value<std::string>()->default_value(""), "the Cloud Storage bucket (target gcs)")
      ("backup.gcs-prefix", po::value<std::string>()->default_value("gsp/"), "object names in the bucket start with it")
      ("backup.gcs-key-file", po::value<std::string>()->default_value(""),
       "the service account's JSON key file (readable by gsp-agent only)")
      ("backup.gcs-endpoint", po::value<std::string>()->default_value("https://storage.googleapis.com"),
       "the JSON API's address (a test double's in tests)")
      ("backup.gcs-chunk-kib", po::value<int>()->default_value(8192),
       "upload chunk size in KiB, a multiple of 256 (256-262144)")
      ("backup.local-dir", po::value<std::string>()->default_value("/var/lib/gsp/backups"),
       "folder where gsp-agent keeps backups (the agent's; group www-data may read it, for downloads)")
      ("backup.on-sleep-min-hours", po::value<int>()->default_value(6),
       "a server backed up when it goes to sleep is so at most once in this many hours (0-168)")
      ("lifecycle.low-credit-hours", po::value<int>()->default_value(2),
       "warn a user whose balance pays fewer hours than this of their running servers (0-1000; 0: never)")
      ("docker.socket", po::value<std::string>()->default_value("/var/run/docker.sock"),
       "unix socket of the Docker engine")
      ("docker.timeout-seconds", po::value<int>()->default_value(30),
       "time limit of one Docker Engine API call (1-600)")
      ("admin.sql-dir", po::value<std::string>()->default_value(GSP_PKGDATADIR "/sql"),
       "directory of the numbered SQL migrations")
      ("log.level", po::value<std::string>()->default_value("info"), "debug, info, warn or error");
  return d;
}

// The sections each program reads ("log" etc.); kAll reads every one.
std::vector<std::string> sectionsOf(ConfigFor program) {
  switch (program) {
    case ConfigFor::kWeb: return {"web", "database", "auth", "billing", "servers", "agent", "log"};
    case ConfigFor::kAgent: return {"database", "servers", "agent", "docker", "backup", "log"};
    case ConfigFor::kAdmin: return {"database", "admin", "agent", "log"};
    case ConfigFor::kLifecycle: return {"database", "agent", "lifecycle", "log"};
    case ConfigFor::kAll: break;
  }
  return {};
}

std::string sectionOf(const std::string& option) { return option.substr(0, option.find('.')); }

// The options of `all` that `program` reads, plus help and config.
po::options_description optionsFor(const po::options_description& all, ConfigFor program) {
  if (program == ConfigFor::kAll) return all;
  std::vector<std::string> sections = sectionsOf(program);
  po::options_description d("Options (INI key = flag name without dashes; env GSP_SECTION_KEY)");
  for (const auto& opt : all.options()) {
    const std::string& name = opt->long_name();
    if (name == "help" || name == "config" ||
        std::find(sections.begin(), sections.end(), sectionOf(name)) != sections.end())
      d.add(opt);
  }
  return d;
}

// GSP_WEB_MAX_BODY_BYTES -> web.max-body-bytes, for every known option.
std::string envNameOf(const std::string& option) {
  std::string env = "GSP_";
  for (char c : option) env.push_back(c == '.' || c == '-' ? '_' : static_cast<char>(toupper(c)));
  return env;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string validate(Config* c, const po::variables_map& vm) {
  auto range = [](const char* name, int64_t v, int64_t lo, int64_t hi) -> std::string {
    if (v < lo || v > hi) {
      std::ostringstream m;
      m << "invalid value for " << name << ": " << v << " (must be " << lo << "-" << hi << ")";
      return m.str();
    }
    return "";
  };
  std::string err;
  if (!(err = range("web.threads", c->web_threads, 1, 256)).empty()) return err;
  if (!(err = range("web.page-cache-ms", c->web_page_cache_ms, 0, 10000)).empty()) return err;
  if (!(err = range("web.max-body-bytes", c->web_max_body_bytes, 1024, 64 << 20)).empty()) return err;
  if (!(err = range("database.port", c->database.port, 1, 65535)).empty()) return err;
  if (!(err = range("auth.session-hours", c->auth_session_hours, 1, 8760)).empty()) return err;
  if (!(err = range("billing.signup-credit-cents", c->billing_signup_credit_cents, 0, 100000000)).empty()) return err;
  if (!(err = range("billing.max-deposit-cents", c->billing_max_deposit_cents, 100, 100000000)).empty()) return err;
  if (!(err = range("billing.page-size", c->billing_page_size, 5, 500)).empty()) return err;
  if (!(err = range("servers.max-per-user", c->servers_max_per_user, 1, 10000)).empty()) return err;
  if (!(err = range("servers.port-min", c->servers_port_min, 1024, 65535)).empty()) return err;
  if (!(err = range("servers.port-max", c->servers_port_max, c->servers_port_min, 65535)).empty()) return err;
  if (!(err = range("servers.stop-grace-seconds", c->servers_stop_grace_seconds, 1, 600)).empty()) return err;
  if (!(err = range("servers.crash-loop-minutes", c->servers_crash_loop_minutes, 1, 1440)).empty()) return err;
  if (!(err = range("servers.orphan-grace-seconds", c->servers_orphan_grace_seconds, 5, 604800)).empty()) return err;
  if (!(err = range("servers.proxy-memory-mb", c->servers_proxy_memory_mb, 8, 1024)).empty()) return err;
  if (!(err = range("servers.webhook-max-skew-seconds", c->servers_webhook_max_skew_seconds, 5, 3600)).empty())
    return err;
  if (!(err = range("docker.timeout-seconds", c->docker_timeout_seconds, 1, 600)).empty()) return err;
  if (!(err = range("agent.max-jobs", c->agent_max_jobs, 2, 64)).empty()) return err;
  if (!(err = range("lifecycle.low-credit-hours", c->lifecycle_low_credit_hours, 0, 1000)).empty()) return err;
  if (!(err = range("agent.poll-ms", c->agent_poll_ms, 50, 60000)).empty()) return err;
  if (!(err = range("agent.timeout-ms", c->agent_timeout_ms, 100, 600000)).empty()) return err;
  if (c->backup_target != "local" && c->backup_target != "gcs")
    return "invalid value for backup.target: '" + c->backup_target + "' (local or gcs)";
  if (c->backup_target == "gcs" && (c->backup_gcs_bucket.empty() || c->backup_gcs_key_file.empty()))
    return "backup.target = gcs needs backup.gcs-bucket and backup.gcs-key-file";
  if (c->backup_gcs_endpoint.rfind("https://", 0) != 0 && c->backup_gcs_endpoint.rfind("http://", 0) != 0)
    return "invalid value for backup.gcs-endpoint: must start with https:// (or http:// for a test double)";
  if (!(err = range("backup.gcs-chunk-kib", c->backup_gcs_chunk_kib, 256, 262144)).empty()) return err;
  if (c->backup_gcs_chunk_kib % 256 != 0) return "invalid value for backup.gcs-chunk-kib: must be a multiple of 256";
  if (!(err = range("backup.on-sleep-min-hours", c->backup_on_sleep_min_hours, 0, 168)).empty()) return err;
  if (c->backup_local_dir.size() < 2 || c->backup_local_dir[0] != '/' || c->backup_local_dir.back() == '/')
    return "invalid value for backup.local-dir: must be an absolute path without a trailing slash";
  if (c->agent_socket.empty() || c->agent_socket[0] != '/' || c->agent_socket.size() > 107)
    return "invalid value for agent.socket: must be an absolute path of at most 107 bytes";
  if (c->servers_proxy_image.empty() || c->servers_proxy_image.find_first_of(" \t") != std::string::npos)
    return "invalid value for servers.proxy-image: '" + c->servers_proxy_image + "' is not an image name";
  if (c->servers_object_prefix.empty() || c->servers_object_prefix.size() > 32 ||
      !isalnum(static_cast<unsigned char>(c->servers_object_prefix[0])) ||
      c->servers_object_prefix.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
    return "invalid value for servers.object-prefix: use 1-32 lower-case letters, digits or '-'";
  std::optional<Ipv4Block> pool = parseIpv4Block(c->servers_network_pool);
  if (!pool || pool->prefix < 8 || pool->prefix > 29)
    return "invalid value for servers.network-pool: '" + c->servers_network_pool +
           "' is not an IPv4 block a.b.c.d/n with n 8-29 and no host bits set";
  if (!(err = range("servers.network-prefix", c->servers_network_prefix, pool->prefix, 29)).empty()) return err;
  struct in6_addr a6;
  struct in_addr a4;
  if (inet_pton(AF_INET, c->servers_publish_address.c_str(), &a4) != 1 &&
      inet_pton(AF_INET6, c->servers_publish_address.c_str(), &a6) != 1)
    return "invalid value for servers.publish-address: '" + c->servers_publish_address + "' is not an IP address";
  for (const auto* path : {&c->docker_socket, &c->servers_webhook_socket}) {
    if (path->empty() || (*path)[0] != '/' || path->size() > 107)
      return std::string("invalid value for ") + (path == &c->docker_socket ? "docker.socket" : "servers.webhook-socket") +
             ": must be an absolute path of at most 107 bytes";
  }
  // sun_path holds 108 bytes including the terminating NUL.
  if (c->web_socket.empty() || c->web_socket.size() > 107 || c->web_socket[0] != '/')
    return "invalid value for web.socket: must be an absolute path of at most 107 bytes";
  if (c->database.host.empty() && c->database.socket.empty())
    return "invalid value for database.socket: set database.socket or database.host";
  if (c->database.user.empty()) return "invalid value for database.user: must not be empty";
  if (c->database.name.empty()) return "invalid value for database.name: must not be empty";
  for (char ch : c->database.name) {
    if (!isalnum(static_cast<unsigned char>(ch)) && ch != '_')
      return "invalid value for database.name: only letters, digits and _ are allowed";
  }
  if (c->servers_public_host.empty() || c->servers_public_host.size() > 253 ||
      c->servers_public_host.find_first_of(" /:@") != std::string::npos)
    return "invalid value for servers.public-host: '" + c->servers_public_host + "' is not a host name";
  log::Level level;
  if (!log::parseLevel(c->log_level, &level))
    return "invalid value for log.level: '" + c->log_level + "' (debug, info, warn or error)";

  const std::string& pw_file = vm["database.password-file"].as<std::string>();
  if (!pw_file.empty()) {
    std::ifstream in(pw_file);
    if (!in) return "invalid value for database.password-file: cannot read '" + pw_file + "'";
    std::getline(in, c->database.password);
    c->database.password = trim(c->database.password);
  }

  std::stringstream emails(vm["auth.admin-emails"].as<std::string>());
  std::string email;
  while (std::getline(emails, email, ',')) {
    email = trim(email);
    if (email.empty()) continue;
    if (email.find('@') == std::string::npos)
      return "invalid value for auth.admin-emails: '" + email + "' is not an email address";
    std::transform(email.begin(), email.end(), email.begin(), ::tolower);
    c->auth_admin_emails.push_back(email);
  }
  return "";
}

}  // namespace

bool Config::isAdminEmail(const std::string& lowercase_email) const {
  return std::find(auth_admin_emails.begin(), auth_admin_emails.end(), lowercase_email) !=
         auth_admin_emails.end();
}

ConfigLoad loadConfig(int argc, const char* const* argv, const char* const* envp,
                      std::vector<std::string>* positional, ConfigFor program) {
  ConfigLoad load;
  const po::options_description every = describeOptions();
  const po::options_description desc = optionsFor(every, program);
  po::options_description hidden;
  hidden.add_options()("positional", po::value<std::vector<std::string>>(), "");
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("positional", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
    // Only variables that name a known option are read; other GSP_* are left alone.
    std::vector<std::string> names;
    for (const auto& opt : desc.options()) names.push_back(opt->long_name());
    po::parsed_options env_opts(&desc);
    for (const char* const* e = envp; e && *e; ++e) {
      std::string entry = *e;
      size_t eq = entry.find('=');
      if (eq == std::string::npos || entry.compare(0, 4, "GSP_") != 0) continue;
      std::string key = entry.substr(0, eq);
      for (const auto& name : names) {
        if (name != "help" && envNameOf(name) == key) {
          po::option o;
          o.string_key = name;
          o.value.push_back(entry.substr(eq + 1));
          env_opts.options.push_back(o);
        }
      }
    }
    po::store(env_opts, vm);

    if (vm.count("help")) {
      std::ostringstream out;
      out << desc;
      load.outcome = ConfigLoad::Outcome::kHelp;
      load.text = out.str();
      return load;
    }
    std::string file = vm["config"].as<std::string>();
    std::ifstream in(file);
    if (in) {
      // The file is shared by every program: another program's keys are skipped,
      // a key no program knows is an error.
      po::parsed_options from_file = po::parse_config_file(in, desc, true);
      for (const po::option& o : from_file.options) {
        if (o.unregistered && !every.find_nothrow(o.string_key, false)) {
          load.text = "unrecognised option '" + o.string_key + "' in " + file;
          return load;
        }
      }
      po::store(from_file, vm);
      load.config.config_file = file;
    } else if (!vm["config"].defaulted()) {
      load.text = "invalid value for config: cannot read '" + file + "'";
      return load;
    }
    // Every other program's option takes its default, so the Config is whole.
    po::store(po::parsed_options(&every), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    load.text = e.what();
    return load;
  }

  Config& c = load.config;
  c.web_socket = vm["web.socket"].as<std::string>();
  const std::string& mode = vm["web.socket-mode"].as<std::string>();
  if (mode.empty() || mode.size() > 4 || mode.find_first_not_of("01234567") != std::string::npos) {
    load.text = "invalid value for web.socket-mode: '" + mode + "' (octal, like 0660)";
    return load;
  }
  c.web_socket_mode = std::stoi(mode, nullptr, 8);
  c.web_threads = vm["web.threads"].as<int>();
  c.web_max_body_bytes = vm["web.max-body-bytes"].as<int64_t>();
  c.web_page_cache_ms = vm["web.page-cache-ms"].as<int>();
  c.templates_dir = vm["web.templates-dir"].as<std::string>();
  c.database.socket = vm["database.socket"].as<std::string>();
  c.database.host = vm["database.host"].as<std::string>();
  c.database.port = vm["database.port"].as<int>();
  c.database.user = vm["database.user"].as<std::string>();
  c.database.password = vm["database.password"].as<std::string>();
  c.database.name = vm["database.name"].as<std::string>();
  c.auth_mock_login = vm["auth.mock-login"].as<bool>();
  c.auth_session_hours = vm["auth.session-hours"].as<int>();
  c.billing_signup_credit_cents = vm["billing.signup-credit-cents"].as<int64_t>();
  c.billing_max_deposit_cents = vm["billing.max-deposit-cents"].as<int64_t>();
  c.billing_page_size = vm["billing.page-size"].as<int>();
  c.billing_mock_deposits = vm["billing.mock-deposits"].as<bool>();
  c.servers_public_host = vm["servers.public-host"].as<std::string>();
  c.servers_publish_address = vm["servers.publish-address"].as<std::string>();
  c.servers_port_min = vm["servers.port-min"].as<int>();
  c.servers_port_max = vm["servers.port-max"].as<int>();
  c.servers_max_per_user = vm["servers.max-per-user"].as<int>();
  c.servers_stop_grace_seconds = vm["servers.stop-grace-seconds"].as<int>();
  c.servers_crash_loop_minutes = vm["servers.crash-loop-minutes"].as<int>();
  c.servers_orphan_grace_seconds = vm["servers.orphan-grace-seconds"].as<int>();
  c.servers_proxy_image = vm["servers.proxy-image"].as<std::string>();
  c.servers_proxy_memory_mb = vm["servers.proxy-memory-mb"].as<int>();
  c.servers_webhook_socket = vm["servers.webhook-socket"].as<std::string>();
  c.servers_webhook_max_skew_seconds = vm["servers.webhook-max-skew-seconds"].as<int>();
  c.servers_object_prefix = vm["servers.object-prefix"].as<std::string>();
  c.servers_network_pool = vm["servers.network-pool"].as<std::string>();
  c.servers_network_prefix = vm["servers.network-prefix"].as<int>();
  c.agent_socket = vm["agent.socket"].as<std::string>();
  c.agent_socket_group = vm["agent.socket-group"].as<std::string>();
  c.agent_allowed_users = vm["agent.allowed-users"].as<std::string>();
  c.agent_max_jobs = vm["agent.max-jobs"].as<int>();
  c.agent_poll_ms = vm["agent.poll-ms"].as<int>();
  c.agent_timeout_ms = vm["agent.timeout-ms"].as<int>();
  c.backup_target = vm["backup.target"].as<std::string>();
  c.backup_gcs_bucket = vm["backup.gcs-bucket"].as<std::string>();
  c.backup_gcs_prefix = vm["backup.gcs-prefix"].as<std::string>();
  c.backup_gcs_key_file = vm["backup.gcs-key-file"].as<std::string>();
  c.backup_gcs_endpoint = vm["backup.gcs-endpoint"].as<std::string>();
  c.backup_gcs_chunk_kib = vm["backup.gcs-chunk-kib"].as<int>();
  c.backup_local_dir = vm["backup.local-dir"].as<std::string>();
  c.backup_on_sleep_min_hours = vm["backup.on-sleep-min-hours"].as<int>();
  c.lifecycle_low_credit_hours = vm["lifecycle.low-credit-hours"].as<int>();
  c.docker_socket = vm["docker.socket"].as<std::string>();
  c.docker_timeout_seconds = vm["docker.timeout-seconds"].as<int>();
  c.sql_dir = vm["admin.sql-dir"].as<std::string>();
  c.log_level = vm["log.level"].as<std::string>();
  if (vm.count("positional") && positional) *positional = vm["positional"].as<std::vector<std::string>>();
  else if (vm.count("positional")) {
    load.text = "unexpected argument '" + vm["positional"].as<std::vector<std::string>>()[0] + "'";
    return load;
  }

  std::string err = validate(&c, vm);
  if (!err.empty()) {
    load.text = err;
    return load;
  }
  load.outcome = ConfigLoad::Outcome::kRun;
  return load;
}

}  // namespace gsp
