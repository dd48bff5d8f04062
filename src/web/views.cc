#include "web/views.h"

#include <ctemplate/template.h>

#include "core/money.h"

namespace gsp::web {

namespace {

using ctemplate::TemplateDictionary;

const char* const kTemplates[] = {"layout.tpl",  "login.tpl",         "mock_consent.tpl", "dashboard.tpl",
                                  "billing.tpl", "create_server.tpl", "server.tpl",       "error.tpl"};

// Fills the layout, hands back the dictionary of the page's own template.
TemplateDictionary* fillLayout(TemplateDictionary* dict, const LayoutModel& m, const char* content_template) {
  dict->SetValue("TITLE", m.title);
  dict->SetValue("CSRF_TOKEN", m.csrf_token);
  if (!m.low_credit_warning.empty()) dict->SetValueAndShowSection("LOW_CREDIT", m.low_credit_warning, "HAS_LOW_CREDIT");
  if (m.signed_in) {
    TemplateDictionary* user = dict->AddSectionDictionary("SIGNED_IN");
    user->SetValue("USER_EMAIL", m.user_email);
    user->SetValue("BALANCE", money::format(m.balance_cents));
    if (m.user_is_admin) user->ShowSection("IS_ADMIN");
    user->SetValue("NAV_DASHBOARD", m.active_nav == "dashboard" ? "page" : "false");
    user->SetValue("NAV_BILLING", m.active_nav == "billing" ? "page" : "false");
    user->SetValue("NAV_CREATE", m.active_nav == "create" ? "page" : "false");
  } else {
    dict->ShowSection("SIGNED_OUT");
  }
  if (!m.flash_kind.empty()) {
    TemplateDictionary* flash = dict->AddSectionDictionary("FLASH");
    flash->SetValue("KIND", m.flash_kind);
    flash->SetValue("MESSAGE", m.flash_message);
  }
  TemplateDictionary* content = dict->AddIncludeDictionary("CONTENT");
  content->SetFilename(content_template);
  content->SetValue("CSRF_TOKEN", m.csrf_token);
  return content;
}

// "RUNNING" -> "running", the suffix of the badge's CSS class.
std::string stateClass(std::string state) {
  for (char& ch : state) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
  return state;
}

std::string expand(const std::string& dir, const TemplateDictionary& dict) {
  std::string out;
  ctemplate::ExpandTemplate(dir + "/layout.tpl", ctemplate::STRIP_BLANK_LINES, &dict, &out);
  return out;
}

}  // namespace

Views::Views(std::string templates_dir) : templates_dir_(std::move(templates_dir)) {}

bool Views::check(std::string* error) const {
  for (const char* name : kTemplates) {
    std::string path = templates_dir_ + "/" + name;
    if (!ctemplate::LoadTemplate(path, ctemplate::STRIP_BLANK_LINES)) {
      *error = "cannot load template " + path;
      return false;
    }
  }
  return true;
}

std::string Views::login(const LayoutModel& layout, const LoginPage& page) const {
  TemplateDictionary dict("login");
  TemplateDictionary* c = fillLayout(&dict, layout, (templates_dir_ + "/login.tpl").c_str());
  c->SetValue("NEXT", page.next);
  if (page.mock_enabled) c->ShowSection("MOCK_ENABLED");
  else c->ShowSection("MOCK_DISABLED");
  return expand(templates_dir_, dict);
}

std::string Views::mockConsent(const LayoutModel& layout, const MockConsentPage& page) const {
  TemplateDictionary dict("mock_consent");
  TemplateDictionary* c = fillLayout(&dict, layout, (templates_dir_ + "/mock_consent.tpl").c_str());
  c->SetValue("PROVIDER", page.provider);
  c->SetValue("PROVIDER_NAME", page.provider_name);
  c->SetValue("NEXT", page.next);
  c->SetValue("EMAIL", page.email);
  if (!page.error.empty()) c->SetValueAndShowSection("ERROR", page.error, "HAS_ERROR");
  return expand(templates_dir_, dict);
}

std::string Views::dashboard(const LayoutModel& layout, const DashboardPage& page) const {
  TemplateDictionary dict("dashboard");
  TemplateDictionary* c = fillLayout(&dict, layout, (templates_dir_ + "/dashboard.tpl").c_str());
  if (page.servers.empty()) {
    c->ShowSection("NO_SERVERS");
  } else {
    TemplateDictionary* list = c->AddSectionDictionary("HAS_SERVERS");
    list->SetIntValue("SERVER_COUNT", static_cast<long>(page.servers.size()));
    list->SetValue("HOURLY_COST", money::format(page.hourly_cost_cents));
    for (const DashboardServer& s : page.servers) {
      TemplateDictionary* row = list->AddSectionDictionary("SERVER");
      row->SetFormattedValue("ID", "%lld", static_cast<long long>(s.id));
      row->SetValue("NAME", s.name);
      row->SetValue("GAME", s.game_name);
      row->SetValue("STATE", s.state);
      row->SetValue("STATE_CLASS", stateClass(s.state));
      if (s.address.empty()) row->ShowSection("NO_ADDRESS");
      else row->SetValueAndShowSection("ADDRESS", s.address, "HAS_ADDRESS");
      row->SetValue("PORTS", s.ports_text);
      row->SetValue("PRICE", money::format(s.price_cents_per_hour));
    }
  }
  return expand(templates_dir_, dict);
}

std::string Views::billing(const LayoutModel& layout, const BillingPage& page) const {
  TemplateDictionary dict("billing");
  TemplateDictionary* c = fillLayout(&dict, layout, (templates_dir_ + "/billing.tpl").c_str());
  c->SetValue("BALANCE", money::format(page.balance_cents));
  c->SetValue("MAX_DEPOSIT", money::format(page.max_deposit_cents));
  c->SetIntValue("MAX_DEPOSIT_WHOLE", static_cast<long>(page.max_deposit_cents / 100));
  c->SetValue("IDEMPOTENCY_KEY", page.idempotency_key);
  c->ShowSection(page.deposits_enabled ? "DEPOSITS" : "NO_DEPOSITS");
  if (page.daily_charges.empty()) c->ShowSection("NO_CHARGES");
  for (const DailyChargeRow& d : page.daily_charges) {
    TemplateDictionary* row = c->AddSectionDictionary("CHARGE_DAY");
    row->SetValue("DAY", d.day);
    row->SetValue("SERVER", d.server);
    row->SetIntValue("HOURS", d.hours);
    row->SetValue("CENTS", money::format(d.cents));
  }
  c->SetValue("AMOUNT", page.amount);
  if (!page.error.empty()) c->SetValueAndShowSection("ERROR", page.error, "HAS_ERROR");
  if (page.entries.empty()) {
    c->ShowSection("NO_ENTRIES");
  } else {
    TemplateDictionary* table = c->AddSectionDictionary("HAS_ENTRIES");
    for (const BillingEntry& e : page.entries) {
      TemplateDictionary* row = table->AddSectionDictionary("ENTRY");
      row->SetValue("WHEN", e.created_at);
      row->SetValue("TYPE", e.type);
      row->SetValue("DESCRIPTION", e.description);
      row->SetValue("AMOUNT", money::format(e.amount_cents));
      row->SetValue("AMOUNT_CLASS", e.amount_cents < 0 ? "debit" : "credit");
      row->SetValue("BALANCE_AFTER", money::format(e.balance_after_cents));
    }
    if (page.pages > 1) {
      TemplateDictionary* pager = table->AddSectionDictionary("PAGER");
      pager->SetIntValue("PAGE", page.page);
      pager->SetIntValue("PAGES", page.pages);
      if (page.page > 1) {
        pager->SetIntValue("PREV_PAGE", page.page - 1);
        pager->ShowSection("HAS_PREV");
      }
      if (page.page < page.pages) {
        pager->SetIntValue("NEXT_PAGE", page.page + 1);
        pager->ShowSection("HAS_NEXT");
      }
    }
  }
  return expand(templates_dir_, dict);
}

std::string Views::createServer(const LayoutModel& layout, const CreateServerPage& page) const {
  TemplateDictionary dict("create_server");
  TemplateDictionary* c = fillLayout(&dict, layout, (templates_dir_ + "/create_server.tpl").c_str());
  c->SetValue("NAME", page.name);
  c->SetValue("BALANCE", money::format(page.balance_cents));
  if (!page.error.empty()) c->SetValueAndShowSection("ERROR", page.error, "HAS_ERROR");
  if (page.games.empty()) c->ShowSection("NO_GAMES");
  for (const CatalogChoice& g : page.games) {
    TemplateDictionary* row = c->AddSectionDictionary("GAME");
    row->SetIntValue("ID", g.id);
    row->SetValue("NAME", g.name);
    row->SetValue("DESCRIPTION", g.description);
    row->SetValue("PRICE", money::format(g.price_cents_per_hour));
    row->SetValue("PORTS", g.ports_text);
    row->SetIntValue("RAM_MB", g.ram_mb);
    if (g.selected) row->ShowSection("SELECTED");
  }
  return expand(templates_dir_, dict);
}

std::string Views::server(const LayoutModel& layout, const ServerPage& page) const {
  TemplateDictionary dict("server");
  TemplateDictionary* c = fillLayout(&dict, layout, (templates_dir_ + "/server.tpl").c_str());
  c->SetFormattedValue("ID", "%lld", static_cast<long long>(page.id));
  c->SetValue("NAME", page.name);
  c->SetValue("GAME", page.game_name);
  c->SetValue("STATE", page.state);
  c->SetValue("STATE_CLASS", stateClass(page.state));
  c->SetValue("STATE_MESSAGE", page.state_message);
  if (page.address.empty()) c->ShowSection("NO_ADDRESS");
  else c->SetValueAndShowSection("ADDRESS", page.address, "HAS_ADDRESS");
  for (const std::string& line : page.port_lines) c->AddSectionDictionary("PORT")->SetValue("PORT_LINE", line);
  c->SetValue("PRICE", money::format(page.price_cents_per_hour));
  c->SetIntValue("RAM_MB", page.ram_mb);
  c->SetFormattedValue("CPUS", "%.2g", page.cpu_millis / 1000.0);
  c->SetIntValue("IDLE_MINUTES", page.idle_minutes);
  c->SetValue("LAST_ACTIVITY", page.last_activity.empty() ? "never" : page.last_activity + " UTC");
  c->SetIntValue("LIVE_CLIENTS", page.live_clients);
  c->SetValue("CREATED_AT", page.created_at);
  if (page.can_wake) c->ShowSection("CAN_WAKE");
  c->SetValue("WAKE_LABEL", page.wake_label);
  if (page.can_hibernate) c->ShowSection("CAN_HIBERNATE");
  if (page.can_delete) c->ShowSection("CAN_DELETE");
  c->SetValue("PAID_UNTIL", page.paid_until.empty() ? "nothing paid ahead" : page.paid_until);
  c->SetValue("MONTH_CHARGES", money::format(page.month_charges_cents));
  c->SetValue("SLEEP_LINE", page.sleep_line);
  if (page.can_keep_awake) c->ShowSection("CAN_KEEP_AWAKE");
  c->SetValue("JOB_LINE", page.job_line);
  if (page.job_line.empty()) c->ShowSection("NO_JOB");
  if (page.job_failed) c->ShowSection("JOB_FAILED");
  for (const ServerEventView& e : page.events) {
    TemplateDictionary* row = c->AddSectionDictionary("EVENT");
    row->SetValue("WHEN", e.when);
    row->SetValue("FROM", e.from_state);
    row->SetValue("TO", e.to_state);
    row->SetValue("CAUSE", e.cause);
    if (!e.detail.empty()) row->SetValueAndShowSection("DETAIL", e.detail, "HAS_DETAIL");
  }
  if (page.events.empty()) c->ShowSection("NO_EVENTS");
  for (const char* range : {"1h", "24h", "7d"}) {
    TemplateDictionary* tab = c->AddSectionDictionary("CHART_RANGE");
    tab->SetValue("RANGE", range);
    if (page.chart_range == range) tab->ShowSection("RANGE_CURRENT");
    else tab->ShowSection("RANGE_OTHER");
  }
  c->SetValue("CHART_RANGE_NOW", page.chart_range);
  // The SVG is markup made by chart_svg.cc, which escapes every text it inserts.
  c->SetValue("CPU_CHART", page.cpu_chart_svg);
  c->SetValue("MEMORY_CHART", page.memory_chart_svg);
  c->SetValue("PLAYERS_CHART", page.players_chart_svg);
  for (const BackupView& b : page.backups) {
    TemplateDictionary* row = c->AddSectionDictionary("BACKUP");
    row->SetFormattedValue("BACKUP_ID", "%lld", static_cast<long long>(b.id));
    row->SetValue("BACKUP_WHEN", b.created_at);
    row->SetValue("BACKUP_STATE", b.state);
    row->SetValue("BACKUP_STATE_CLASS", stateClass(b.state));
    row->SetValue("BACKUP_SIZE", b.size);
    row->SetValue("BACKUP_TARGET", b.target);
    row->SetValue("BACKUP_REASON", b.reason);
    if (!b.message.empty()) row->SetValueAndShowSection("BACKUP_MESSAGE", b.message, "HAS_BACKUP_MESSAGE");
    if (b.taken_while_running) row->ShowSection("BACKUP_LIVE");
    if (b.locked) row->ShowSection("BACKUP_LOCKED");
    else row->ShowSection("BACKUP_UNLOCKED");
    if (b.done) row->ShowSection("BACKUP_DONE");
    if (b.state != "RUNNING" && b.state != "QUEUED" && !b.locked) row->ShowSection("BACKUP_DELETABLE");
    row->SetValue("RESTORE_LABEL", page.restore_label);
  }
  if (page.backups.empty()) c->ShowSection("NO_BACKUPS");
  c->SetIntValue("BACKUP_LIMIT", page.backup_limit);
  if (page.can_back_up) c->ShowSection("CAN_BACK_UP");
  if (page.backup_on_sleep) c->ShowSection("BACKUP_ON_SLEEP");
  TemplateDictionary* off = c->AddSectionDictionary("DAILY_HOUR");
  off->SetValue("HOUR_VALUE", "off");
  off->SetValue("HOUR_LABEL", "off");
  if (page.backup_daily_hour < 0) off->ShowSection("HOUR_SELECTED");
  for (int h = 0; h < 24; ++h) {
    TemplateDictionary* option = c->AddSectionDictionary("DAILY_HOUR");
    option->SetIntValue("HOUR_VALUE", h);
    option->SetFormattedValue("HOUR_LABEL", "%02d:00 UTC", h);
    if (h == page.backup_daily_hour) option->ShowSection("HOUR_SELECTED");
  }
  for (const DayCostView& d : page.week_costs) {
    TemplateDictionary* day = c->AddSectionDictionary("COST_DAY");
    day->SetValue("DAY", d.day);
    day->SetIntValue("HOURS", d.hours);
    day->SetValue("CHARGED", money::format(d.cents));
  }
  return expand(templates_dir_, dict);
}

std::string Views::error(const LayoutModel& layout, const ErrorPage& page) const {
  TemplateDictionary dict("error");
  TemplateDictionary* c = fillLayout(&dict, layout, (templates_dir_ + "/error.tpl").c_str());
  c->SetIntValue("STATUS", page.status);
  c->SetValue("HEADING", page.heading);
  c->SetValue("MESSAGE", page.message);
  return expand(templates_dir_, dict);
}

}  // namespace gsp::web
