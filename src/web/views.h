// Typed view models for every page, and the one place that turns them into
// ctemplate dictionaries and HTML. Templates auto-escape (AUTOESCAPE HTML), so
// no handler ever builds markup. Views is read-only after construction and
// thread-safe (ctemplate's template cache locks internally).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gsp::web {

// What every page shows around its content.
struct LayoutModel {
  std::string title;
  std::string active_nav;  // "dashboard", "billing", ...
  bool signed_in = false;
  std::string user_email;
  bool user_is_admin = false;
  int64_t balance_cents = 0;
  std::string csrf_token;
  std::string flash_kind;  // "success", "error", "info"; empty: no flash
  std::string flash_message;
  std::string low_credit_warning;  // a banner on every page; empty: none
};

struct LoginPage {
  std::string next;
  bool mock_enabled = false;
};

struct MockConsentPage {
  std::string provider;       // "google"
  std::string provider_name;  // "Google"
  std::string next;
  std::string email;          // re-shown after an error
  std::string error;
};

struct DashboardServer {
  int64_t id = 0;
  std::string name;
  std::string game_name;
  std::string state;  // "SLEEPING"
  std::string address;  // "play.example.com:30001", empty while none
  std::string ports_text;  // "TCP 30001 · UDP 30001"
  int64_t price_cents_per_hour = 0;
};

struct DashboardPage {
  std::vector<DashboardServer> servers;
  int64_t hourly_cost_cents = 0;  // of the servers running now
};

struct BillingEntry {
  std::string created_at;
  std::string type;
  std::string description;
  int64_t amount_cents = 0;
  int64_t balance_after_cents = 0;
};

struct DailyChargeRow {
  std::string day;
  std::string server;
  int hours = 0;
  int64_t cents = 0;
};

struct BillingPage {
  int64_t balance_cents = 0;
  std::vector<DailyChargeRow> daily_charges;  // this month, by server and day
  std::vector<BillingEntry> entries;
  int page = 1;
  int pages = 1;
  int64_t total_entries = 0;
  int64_t max_deposit_cents = 0;
  bool deposits_enabled = false;  // billing.mock-deposits
  std::string idempotency_key;
  std::string amount;  // re-shown after an error
  std::string error;
};

struct CatalogChoice {
  int id = 0;
  std::string name;
  std::string description;
  int64_t price_cents_per_hour = 0;
  std::string ports_text;  // "TCP 25565"
  int ram_mb = 0;
  bool selected = false;
};

struct CreateServerPage {
  std::vector<CatalogChoice> games;
  std::string name;   // re-shown after an error
  std::string error;
  int64_t balance_cents = 0;
};

struct ServerEventView {
  std::string when;
  std::string from_state;
  std::string to_state;
  std::string cause;
  std::string detail;  // the game's last log lines (a crash); empty: none
};

// One row of the server page's backup list.
struct BackupView {
  int64_t id = 0;
  std::string created_at;  // "2026-11-30 10:00:00"
  std::string state;       // QUEUED, RUNNING, DONE, FAILED
  std::string size;        // "12.3 MB" stored; while RUNNING the bytes read and stored so far
  std::string message;     // why it failed
  std::string target;      // "local"
  std::string reason;      // "manual", "on sleep", "daily"
  bool taken_while_running = false;
  bool locked = false;
  bool done = false;       // download and restore offered
};

// One day of the server page's cost line.
struct DayCostView {
  std::string day;  // "Mon 30"
  int hours = 0;
  int64_t cents = 0;
};

struct ServerPage {
  int64_t id = 0;
  std::string name;
  std::string game_name;
  std::string state;
  std::string state_message;
  std::string address;                 // first port, host:port
  std::vector<std::string> port_lines; // "TCP 30001 → game port 25565"
  int64_t price_cents_per_hour = 0;
  int ram_mb = 0;
  int cpu_millis = 0;
  int idle_minutes = 0;
  std::string last_activity;  // empty: never
  int live_clients = 0;       // TCP connections + UDP sessions, as last reported
  std::string created_at;
  bool can_wake = false;
  bool can_hibernate = false;
  bool can_delete = false;
  // The server's job, while one runs or when the last one failed: "Waking up…",
  // "Creating the server: Downloading the game: 312 of 540 MB", "Could not wake: ...".
  std::string job_line;
  bool job_failed = false;
  std::string paid_until;        // "14:05 UTC", or empty: nothing paid ahead
  int64_t month_charges_cents = 0;
  std::string sleep_line;        // "Sleeps in 12 min if nobody joins", while RUNNING
  bool can_keep_awake = false;
  std::string wake_label;        // "Wake now", or "Start again" after an error
  std::vector<ServerEventView> events;
  // The charts (already escaped SVG markup) for `chart_range` ("1h", "24h", "7d").
  std::string chart_range;
  std::string cpu_chart_svg;
  std::string memory_chart_svg;
  std::string players_chart_svg;
  std::vector<DayCostView> week_costs;  // the last 7 days, today last
  std::vector<BackupView> backups;     // newest first
  int backup_limit = 0;
  bool can_back_up = false;
  std::string restore_label;           // "Restore", or "Sleep and restore" while it runs
  bool backup_on_sleep = false;
  int backup_daily_hour = -1;          // -1: off
};

struct ErrorPage {
  int status = 500;
  std::string heading;
  std::string message;
};

class Views {
 public:
  // `templates_dir` holds layout.tpl and one .tpl per page.
  explicit Views(std::string templates_dir);

  // False (with a message) when a template is missing or does not parse, so
  // gsp-web can refuse to start instead of failing on the first request.
  bool check(std::string* error) const;

  std::string login(const LayoutModel& layout, const LoginPage& page) const;
  std::string mockConsent(const LayoutModel& layout, const MockConsentPage& page) const;
  std::string dashboard(const LayoutModel& layout, const DashboardPage& page) const;
  std::string billing(const LayoutModel& layout, const BillingPage& page) const;
  std::string createServer(const LayoutModel& layout, const CreateServerPage& page) const;
  std::string server(const LayoutModel& layout, const ServerPage& page) const;
  std::string error(const LayoutModel& layout, const ErrorPage& page) const;

 private:
  std::string templates_dir_;
};

}  // namespace gsp::web
