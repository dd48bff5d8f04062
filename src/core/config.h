// The one configuration of the platform's programs (gsp-web, gsp-admin): an INI
// file, GSP_* environment variables and command-line flags, read through
// Boost.Program_options and validated once at start. Precedence: flag > env > file > default.
// A Config is a plain value, constant after loading.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gsp {

struct DatabaseConfig {
  std::string socket;    // unix socket; used when host is empty
  std::string host;
  int port = 3306;
  std::string user;
  std::string password;  // from database.password or the file database.password-file
  std::string name;
};

struct Config {
  std::string config_file;  // the file actually read, or empty

  // [web]
  std::string web_socket;            // FastCGI unix socket (ignored when systemd hands one over)
  int web_socket_mode = 0;           // permission bits of that socket, e.g. 0660
  int web_threads = 0;
  int64_t web_max_body_bytes = 0;
  int web_page_cache_ms = 0;         // see web/page_cache.h; 0: off
  std::string templates_dir;

  // [database]
  DatabaseConfig database;

  // [auth]
  bool auth_mock_login = false;
  std::vector<std::string> auth_admin_emails;  // lower-cased
  int auth_session_hours = 0;

  // [billing]
  int64_t billing_signup_credit_cents = 0;
  int64_t billing_max_deposit_cents = 0;
  int billing_page_size = 0;
  bool billing_mock_deposits = false;  // the test "add funds" form (no payment provider yet)

  // [servers]
  std::string servers_public_host;     // shown to players as host:port
  std::string servers_publish_address; // host address the proxies' ports are published on
  int servers_port_min = 0;            // public port range, inclusive
  int servers_port_max = 0;
  int servers_max_per_user = 0;        // servers a user may have at once (admins: no limit)
  int servers_stop_grace_seconds = 0;  // time a game gets to save its world on stop
  std::string servers_proxy_image;
  int servers_proxy_memory_mb = 0;
  std::string servers_webhook_socket;  // nginx's internal listener; its folder is mounted into proxies
  int servers_webhook_max_skew_seconds = 0;
  std::string servers_object_prefix;  // Docker object names start with it: "gsp-12-game"
  int servers_crash_loop_minutes = 0;   // a second crash within this is a crash loop (ERROR)
  int servers_orphan_grace_seconds = 0; // labelled objects of no server are removed once this old
  std::string servers_network_pool;    // IPv4 block each server's private network takes a subnet of
  int servers_network_prefix = 0;      // that subnet's prefix length: 28 is 16 addresses

  // [agent]
  std::string agent_socket;         // gsp-agent's request socket
  std::string agent_socket_group;   // group of that socket: the programs that may ask
  std::string agent_allowed_users;  // comma-separated users the agent answers (and root)
  int agent_max_jobs = 0;           // jobs run at once
  int agent_poll_ms = 0;            // how often the agent looks for jobs it was not poked for
  int agent_timeout_ms = 0;         // how long an asker waits for an answer

  // [backup]
  std::string backup_target;     // "local" or "gcs"
  std::string backup_local_dir;  // where the agent keeps backups (the local target)
  std::string backup_gcs_bucket;
  std::string backup_gcs_prefix;    // object names start with it ("gsp/")
  std::string backup_gcs_key_file;  // the service account's JSON key
  std::string backup_gcs_endpoint;  // https://storage.googleapis.com, or a test double's
  int backup_gcs_chunk_kib = 0;     // upload chunk: a multiple of 256
  int backup_on_sleep_min_hours = 0;  // "back up when it goes to sleep" at most this often

  // [lifecycle]
  int lifecycle_low_credit_hours = 0;  // warn when the balance covers fewer hours of running servers

  // [docker]
  std::string docker_socket;
  int docker_timeout_seconds = 0;

  // [admin]
  std::string sql_dir;

  // [log]
  std::string log_level;

  bool isAdminEmail(const std::string& lowercase_email) const;
};

struct ConfigLoad {
  enum class Outcome { kRun, kHelp, kError };
  Outcome outcome = Outcome::kError;
  Config config;
  std::string text;  // help text or the error message
};

// The program reading the configuration: each takes the sections it uses as
// flags and environment variables, and lists only those in --help (gsp-web has
// no [docker] option: only gsp-agent talks to the engine). The one INI file may
// hold every program's sections; another program's section there is ignored.
enum class ConfigFor { kAll, kWeb, kAgent, kAdmin, kLifecycle };

// Reads argv (positional arguments are returned in `positional`), the environment
// `envp` (GSP_* only) and the INI file named by --config / GSP_CONFIG, or the
// default file when it exists. Options outside `program`'s sections keep their defaults.
ConfigLoad loadConfig(int argc, const char* const* argv, const char* const* envp,
                      std::vector<std::string>* positional = nullptr, ConfigFor program = ConfigFor::kAll);

}  // namespace gsp
