// Game servers: the create form, the server page with its live status, logs
// and actions. Docker is reached only through ctx.servers (ServerOperations).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>

#include "core/crypto.h"
#include "core/money.h"
#include "db/backup_repository.h"
#include "db/catalog_repository.h"
#include "db/job_repository.h"
#include "db/ledger_repository.h"
#include "db/server_repository.h"
#include "core/clock_text.h"
#include "domain/billing.h"
#include "domain/idle.h"
#include "domain/server_state.h"
#include "web/handlers/handlers.h"
#include "web/pages.h"
#include "web/server_charts.h"

namespace gsp::web::handlers {

namespace {

using domain::ServerState;

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string portsText(const std::vector<db::GamePort>& ports) {
  std::string out;
  for (const db::GamePort& p : ports) out += (out.empty() ? "" : " · ") + upper(p.protocol) + " " + std::to_string(p.internal_port);
  return out;
}

// 1-40 characters: letters, digits, space . _ - ; starting with a letter or digit.
bool validServerName(const std::string& name) {
  if (name.empty() || name.size() > 40 || !isalnum(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '.' || c == '_' || c == '-';
  });
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

Response renderCreate(Context& ctx, int status, int selected_game, const std::string& name, const std::string& error) {
  CreateServerPage page;
  for (const db::GameImage& g : db::CatalogRepository(ctx.db).listEnabled()) {
    page.games.push_back({g.id, g.friendly_name, g.description, g.price_cents_per_hour, portsText(g.ports),
                          g.min_ram_mb, g.id == selected_game});
  }
  page.name = name;
  page.error = error;
  page.balance_cents = ctx.user->credits_cents;
  return Response::html(status, ctx.views.createServer(ctx.layout("New server", "create"), page));
}

// The server of the {id} path parameter, if the signed-in user may see it.
domain::IdleFacts idleFacts(const db::ServerRecord& s, int idle_minutes) {
  domain::IdleFacts f;
  f.players = s.live_tcp_connections + s.live_udp_sessions;
  f.last_activity = s.last_activity_unix;
  f.running_since = s.running_since_unix;
  f.keep_awake_until = s.keep_awake_until_unix;
  f.idle_minutes = idle_minutes;
  return f;
}

// "Sleeps in 12 min if nobody joins" for a RUNNING server; empty otherwise.
std::string sleepLine(const db::ServerRecord& s, int idle_minutes, int64_t now) {
  if (s.state != ServerState::kRunning) return "";
  int64_t at = domain::idleSleepAt(idleFacts(s, idle_minutes));
  if (at < 0) return "Players are on: it stays awake.";
  if (at <= now) return "Nobody is playing: it goes to sleep within a minute.";
  return "Sleeps in " + minutesText(at - now) + " (at " + utcClock(at) + ") if nobody joins.";
}

// The sleep line; while wakes by traffic are paused (a port scan woke it for
// nobody, sql/015), when they resume instead.
std::string sleepOrPauseLine(db::Database& db, const db::ServerRecord& s, int idle_minutes, int64_t now) {
  std::string until;
  if (s.state == ServerState::kSleeping && db::ServerRepository(db).trafficWakesPaused(s.id, &until))
    return "Wakes by network traffic are paused until " + until +
           " UTC: the last ones ended with nobody playing (a port scan?). Waking it here ends the pause.";
  return sleepLine(s, idle_minutes, now);
}

Response refused(Context& ctx, const std::string& location, const Status& status) {
  return ctx.redirectWithFlash(location, "error", status.message());
}

// "312 of 540 MB" (sizes), "2 of 3" (steps).
std::string progressFigures(int64_t done, int64_t total) {
  if (total <= 0) return "";
  if (total >= (1 << 20)) return std::to_string(done >> 20) + " of " + std::to_string(total >> 20) + " MB";
  return std::to_string(done) + " of " + std::to_string(total);
}

// What the server page says of the server's newest job (empty: nothing to say).
std::string jobLine(const std::optional<db::Job>& job, bool* failed) {
  *failed = false;
  if (!job) return "";
  switch (job->state) {
    case domain::JobState::kQueued:
      return domain::jobTitle(job->kind) + "…";
    case domain::JobState::kRunning: {
      std::string line = domain::jobTitle(job->kind);
      if (!job->progress_text.empty()) line += ": " + job->progress_text;
      std::string figures = progressFigures(job->progress_done, job->progress_total);
      return line + (figures.empty() ? "…" : ": " + figures);
    }
    case domain::JobState::kFailed:
      *failed = true;
      return "Could not " + domain::jobAction(job->kind) + ": " + job->message;
    case domain::JobState::kDone:
      break;
  }
  return "";
}

Result<int64_t> createOnce(Context& ctx, const db::GameImage& game, const std::string& name) {
  db::NewServer server;
  server.user_id = ctx.user->id;
  server.game_image_id = game.id;
  server.name = name;
  server.webhook_secret = crypto::toHex(crypto::randomBytes(32));
  server.ports = game.ports;
  server.port_min = ctx.config.servers_port_min;
  server.port_max = ctx.config.servers_port_max;
  server.max_servers = ctx.isAdmin() ? 0 : ctx.config.servers_max_per_user;
  return db::ServerRepository(ctx.db).create(server);
}

// "512 B", "3.4 KB", "12.3 MB", "1.2 GB" (powers of 1024).
std::string byteSize(int64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  int unit = 0;
  while (v >= 1024 && unit < 4) {
    v /= 1024;
    ++unit;
  }
  char out[32];
  snprintf(out, sizeof out, unit == 0 ? "%.0f %s" : "%.1f %s", v, units[unit]);
  return out;
}

}  // namespace

std::optional<db::ServerRecord> loadServer(Context& ctx) {
  const std::string& id = ctx.request.pathParam("id");
  return db::ServerRepository(ctx.db).findOwned(std::stoll(id), ctx.user->id, ctx.isAdmin());
}

Response showCreateServer(Context& ctx) {
  int selected = 0;
  const std::string& game = ctx.request.queryValue("game");
  if (!game.empty() && game.size() < 9 && game.find_first_not_of("0123456789") == std::string::npos)
    selected = std::stoi(game);
  return renderCreate(ctx, 200, selected, "", "");
}

Response createServer(Context& ctx) {
  std::string name = trim(ctx.request.formValue("name"));
  const std::string& game_text = ctx.request.formValue("game_id");
  int game_id = 0;
  if (!game_text.empty() && game_text.size() < 9 && game_text.find_first_not_of("0123456789") == std::string::npos)
    game_id = std::stoi(game_text);
  std::optional<db::GameImage> game = db::CatalogRepository(ctx.db).findEnabled(game_id);
  if (!game) return renderCreate(ctx, 422, 0, name, "Choose a game.");
  if (!validServerName(name))
    return renderCreate(ctx, 422, game_id, name,
                        "Give the server a name of 1 to 40 letters, digits, spaces, dots, dashes or underscores, "
                        "starting with a letter or digit.");
  if (!domain::canPayFirstHour(ctx.user->credits_cents, game->price_cents_per_hour))
    return renderCreate(ctx, 402, game_id, name,
                        domain::firstHourRefusal(game->friendly_name, game->price_cents_per_hour));

  Result<int64_t> id = createOnce(ctx, *game, name);
  if (!id.isOk()) {
    Status::Code code = id.status().code();
    int status = code == Status::Code::kConflict ? 409 : code == Status::Code::kForbidden ? 403 : 503;
    return renderCreate(ctx, status, game_id, name, id.status().message());
  }
  // The agent makes the containers (pulling the image first when needed); the page follows it.
  Status queued = ctx.servers->provision(id.value(), {ctx.user->id, "created by " + ctx.user->email});
  if (!queued.isOk()) {
    db::ServerRepository(ctx.db).markDeleted(id.value(), "creation could not be queued: " + queued.message());
    return renderCreate(ctx, 503, game_id, name, queued.message());
  }
  return ctx.redirectWithFlash("/servers/" + std::to_string(id.value()), "success",
                               "Your server is being created. It sleeps until someone connects to its address.");
}


Response showServer(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::optional<db::GameImage> game = db::CatalogRepository(ctx.db).find(s->game_image_id);
  ServerPage page;
  page.id = s->id;
  page.name = s->name;
  page.game_name = game ? game->friendly_name : "Unknown game";
  page.state = domain::stateName(s->state);
  page.state_message = s->state_message;
  if (!s->ports.empty()) page.address = ctx.config.servers_public_host + ":" + std::to_string(s->ports.front().public_port);
  for (const db::ServerPort& p : s->ports) {
    page.port_lines.push_back(upper(p.protocol) + " " + std::to_string(p.public_port) + " → game port " +
                              std::to_string(p.internal_port));
  }
  if (game) {
    page.price_cents_per_hour = game->price_cents_per_hour;
    page.ram_mb = game->min_ram_mb;
    page.cpu_millis = game->min_cpu_millis;
    page.idle_minutes = game->idle_minutes;
  }
  page.last_activity = s->last_activity_at;
  page.live_clients = s->live_tcp_connections + s->live_udp_sessions;
  page.created_at = s->created_at;
  page.can_wake = domain::canWake(s->state);
  page.can_hibernate = domain::canHibernate(s->state);
  page.can_delete = domain::canDelete(s->state);
  page.job_line = jobLine(db::JobRepository(ctx.db).latestForServer(s->id), &page.job_failed);
  const int64_t now = time(nullptr);
  if (s->paid_until_unix > now) page.paid_until = utcClock(s->paid_until_unix);
  page.month_charges_cents = db::LedgerRepository(ctx.db).chargesForServerSince(s->id, utcMonthStart(now));
  page.sleep_line = sleepOrPauseLine(ctx.db, *s, game ? game->idle_minutes : 15, now);
  page.can_keep_awake = s->state == ServerState::kRunning;
  page.wake_label = s->state == ServerState::kError ? "Start again" : "Wake now";
  for (const db::ServerEvent& e : db::ServerRepository(ctx.db).events(s->id, 50))
    page.events.push_back({e.created_at, e.from_state, e.to_state, e.cause, e.detail});
  // An unknown range shows the default rather than an error: it is a view, not an act.
  ChartRange range = parseChartRange(ctx.request.queryValue("range")).value_or(ChartRange::kDay);
  page.chart_range = chartRangeName(range);
  ServerCharts charts = buildServerCharts(ctx.db, s->id, range, now, page.cpu_millis, page.ram_mb);
  page.cpu_chart_svg = std::move(charts.cpu_svg);
  page.memory_chart_svg = std::move(charts.memory_svg);
  page.players_chart_svg = std::move(charts.players_svg);
  for (const DayCost& d : lastWeekCosts(ctx.db, s->id, now)) page.week_costs.push_back({utcDay(d.day_unix), d.hours, d.cents});
  page.backup_limit = game ? game->backup_limit : 0;
  page.can_back_up = s->state != ServerState::kCreating && s->state != ServerState::kDeleting;
  page.restore_label = domain::isBilled(s->state) ? "Sleep and restore" : "Restore";
  page.backup_on_sleep = s->backup_on_sleep;
  page.backup_daily_hour = s->backup_daily_hour;
  for (const db::Backup& b : db::BackupRepository(ctx.db).listForServer(s->id)) {
    BackupView v;
    v.id = b.id;
    v.created_at = b.created_at;
    v.state = b.state;
    v.size = b.state == "RUNNING" ? byteSize(b.bytes_read) + " read, " + byteSize(b.bytes_stored) + " stored"
             : b.state == "DONE" ? byteSize(b.bytes_stored) + " (" + byteSize(b.bytes_read) + " of data)"
                                 : "";
    v.message = b.message;
    v.target = b.target.empty() ? "waiting for the agent" : b.target;
    v.reason = b.reason == "ON_SLEEP" ? "on sleep" : b.reason == "DAILY" ? "daily" : "manual";
    v.taken_while_running = b.taken_while_running;
    v.locked = b.locked;
    v.done = b.state == "DONE";
    page.backups.push_back(std::move(v));
  }
  return Response::html(200, ctx.views.server(ctx.layout(s->name, "dashboard"), page));
}

Response serverCharts(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return Response::json(404, "{\"error\":\"not found\"}");
  std::optional<ChartRange> range = parseChartRange(ctx.request.queryValue("range"));
  if (!range) return Response::json(400, "{\"error\":\"range is one of 1h, 24h, 7d\"}");
  std::optional<db::GameImage> game = db::CatalogRepository(ctx.db).find(s->game_image_id);
  ServerCharts charts = buildServerCharts(ctx.db, s->id, *range, time(nullptr), game ? game->min_cpu_millis : 1000,
                                          game ? game->min_ram_mb : 1024);
  return Response::json(200, nlohmann::json({{"range", chartRangeName(*range)},
                                             {"cpu", charts.cpu_svg},
                                             {"memory", charts.memory_svg},
                                             {"players", charts.players_svg}})
                                 .dump());
}

Response serverStatus(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) {
    // A creation that failed deletes its server: the open page still learns why.
    int64_t id = std::stoll(ctx.request.pathParam("id"));
    if (db::ServerRepository(ctx.db).isDeletedAndOwned(id, ctx.user->id, ctx.isAdmin())) {
      bool failed = false;
      std::string line = jobLine(db::JobRepository(ctx.db).latestForServer(id), &failed);
      return Response::json(200, nlohmann::json({{"state", "DELETED"}, {"state_message", ""}, {"can_wake", false},
                                                 {"can_hibernate", false}, {"players", 0}, {"job_line", line},
                                                 {"job_failed", failed}})
                                     .dump());
    }
    return Response::json(404, "{\"error\":\"not found\"}");
  }
  nlohmann::json out = {{"state", domain::stateName(s->state)},
                        {"state_message", s->state_message},
                        {"can_wake", domain::canWake(s->state)},
                        {"can_hibernate", domain::canHibernate(s->state)},
                        {"players", s->live_tcp_connections + s->live_udp_sessions}};
  bool job_failed = false;
  out["job_line"] = jobLine(db::JobRepository(ctx.db).latestForServer(s->id), &job_failed);
  out["job_failed"] = job_failed;
  std::optional<db::GameImage> game = db::CatalogRepository(ctx.db).find(s->game_image_id);
  out["sleep_line"] = sleepOrPauseLine(ctx.db, *s, game ? game->idle_minutes : 15, time(nullptr));
  // The backups being taken, for the list's live progress.
  nlohmann::json live = nlohmann::json::array();
  for (const db::Backup& b : db::BackupRepository(ctx.db).listForServer(s->id)) {
    if (b.state != "QUEUED" && b.state != "RUNNING") continue;
    live.push_back({{"id", b.id}, {"state", b.state},
                    {"size", byteSize(b.bytes_read) + " read, " + byteSize(b.bytes_stored) + " stored"}});
  }
  out["backups"] = live;
  Result<orchestration::ServerStats> stats = ctx.servers->stats(s->id);
  if (stats.isOk()) {
    out["stats"] = {{"running", stats->running},
                    {"cpu_percent", stats->cpu_percent},
                    {"memory_bytes", stats->memory_bytes},
                    {"memory_limit_bytes", stats->memory_limit_bytes}};
  } else {
    out["stats_error"] = stats.status().message();
  }
  return Response::json(200, out.dump());
}

Response serverLogs(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return Response::json(404, "{\"error\":\"not found\"}");
  auto number = [](const std::string& text, int64_t fallback, int64_t max) -> int64_t {
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos) return fallback;
    return std::min<int64_t>(std::stoll(text), max);
  };
  int tail = static_cast<int>(number(ctx.request.queryValue("tail"), 200, 2000));
  int64_t since = number(ctx.request.queryValue("since"), 0, INT64_MAX / 2);
  Result<orchestration::ServerLogs> logs = ctx.servers->logs(s->id, tail, since);
  if (!logs.isOk()) return Response::json(503, nlohmann::json({{"error", logs.status().message()}}).dump());
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& l : logs->lines) lines.push_back({{"stream", l.stream}, {"time", l.timestamp}, {"text", l.text}});
  // error_handler::replace: a game may print bytes that are not UTF-8.
  return Response::json(200, nlohmann::json({{"lines", lines}, {"cursor", logs->cursor}})
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response wakeServer(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::string here = "/servers/" + std::to_string(s->id);
  if (!domain::canWake(s->state)) return ctx.redirectWithFlash(here, "error", domain::refusal("wake", s->state));
  std::optional<db::GameImage> game = db::CatalogRepository(ctx.db).find(s->game_image_id);
  if (!game) return pages::notFound(ctx);
  // The owner pays, whoever presses the button (an admin may wake a user's server).
  std::optional<db::User> owner = db::UserRepository(ctx.db).findById(s->user_id);
  if (!owner || !domain::canStart(owner->credits_cents, game->price_cents_per_hour, s->paid_until_unix, time(nullptr)))
    return ctx.redirectWithFlash(here, "error", domain::firstHourRefusal(game->friendly_name, game->price_cents_per_hour));
  Status woke = ctx.servers->wake(s->id, {ctx.user->id, "woken from the dashboard by " + ctx.user->email});
  if (!woke.isOk()) return refused(ctx, here, woke);
  db::ServerRepository(ctx.db).noteWakeByOwner(s->id);  // and ends a pause of wakes by traffic
  return ctx.redirectWithFlash(here, "success", "Waking up: the game is starting.");
}

Response hibernateServer(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::string here = "/servers/" + std::to_string(s->id);
  if (!domain::canHibernate(s->state)) return ctx.redirectWithFlash(here, "error", domain::refusal("sleep", s->state));
  Status slept = ctx.servers->hibernate(s->id, {ctx.user->id, "put to sleep from the dashboard by " + ctx.user->email});
  if (!slept.isOk()) return refused(ctx, here, slept);
  return ctx.redirectWithFlash(here, "success", "Going to sleep: the game saves its world, then stops. Connecting wakes it again.");
}

Response keepServerAwake(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::string here = "/servers/" + std::to_string(s->id);
  if (s->state != ServerState::kRunning) return ctx.redirectWithFlash(here, "error", "Only a running server can be kept awake.");
  std::optional<db::GameImage> game = db::CatalogRepository(ctx.db).find(s->game_image_id);
  const int64_t now = time(nullptr);
  int64_t at = domain::idleSleepAt(idleFacts(*s, game ? game->idle_minutes : 15));
  int64_t until = std::max(now, at) + domain::kKeepAwakeMinutes * 60;
  db::ServerRepository(ctx.db).keepAwakeUntil(s->id, until);
  return ctx.redirectWithFlash(here, "success", "It stays awake at least until " + utcClock(until) + ", players or not.");
}

Response deleteServer(Context& ctx) {
  std::optional<db::ServerRecord> s = loadServer(ctx);
  if (!s) return pages::notFound(ctx);
  std::string here = "/servers/" + std::to_string(s->id);
  if (!domain::canDelete(s->state)) return ctx.redirectWithFlash(here, "error", domain::refusal("delete", s->state));
  if (trim(ctx.request.formValue("confirm_name")) != s->name)
    return ctx.redirectWithFlash(here, "error", "To delete the server, type its name exactly: " + s->name);
  Status gone = ctx.servers->destroy(s->id, {ctx.user->id, "deleted by " + ctx.user->email});
  if (!gone.isOk()) return refused(ctx, here, gone);
  return ctx.redirectWithFlash("/dashboard", "success", "Deleting " + s->name + ". Its billing history stays on your ledger.");
}

}  // namespace gsp::web::handlers
