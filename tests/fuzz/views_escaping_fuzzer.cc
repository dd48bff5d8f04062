// libFuzzer target: the escaping of every page gsp-web renders
// (src/web/views.h with the real templates/, ctemplate's AUTOESCAPE) and of
// the chart SVG the server page embeds unescaped (src/web/chart_svg.h).
// Every text field of every view model gets fuzzed text (server and game
// names, e-mail, flash and error messages, backup notes, chart title and
// unit...); the same page is also rendered with the same text in which each
// of < > " ' & is replaced by 'x' (same lengths, same empty fields, same
// sections shown). Properties, beyond "no crash, no sanitizer report":
//   - every page renders (a complete document);
//   - a page holds exactly as many < > " ' as with the neutral text, and as
//     many '&' that do not start an entity: no character a visitor typed
//     opens a tag, ends an attribute or starts an entity;
//   - the same holds for renderChartSvg on its own, for any points (NaN,
//     infinities, out of range, unsorted included).
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/views_escaping.
// The templates are read from GSP_TEMPLATES_DIR (the source tree's, set by
// web_fuzz.mk), or from the environment variable of that name.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "web/chart_svg.h"
#include "web/views.h"

using namespace gsp::web;

namespace {

void check(bool ok) {
  if (!ok) abort();
}

const Views& views() {
  static const Views v = [] {
    const char* dir = getenv("GSP_TEMPLATES_DIR");
    Views built(dir ? dir : GSP_TEMPLATES_DIR);
    std::string error;
    if (!built.check(&error)) {
      fprintf(stderr, "views_escaping_fuzzer: %s\n", error.c_str());
      abort();
    }
    return built;
  }();
  return v;
}

std::string neutral(std::string s) {
  for (char& c : s) {
    if (strchr("<>\"'&", c) && c != '\0') c = 'x';
  }
  return s;
}

// What escaping must keep constant: the markup characters, and the '&' that
// do not start an entity (&name; or &#digits;).
struct Markup {
  size_t lt = 0, gt = 0, quot = 0, apos = 0, bare_amp = 0;
  bool operator==(const Markup& o) const {
    return lt == o.lt && gt == o.gt && quot == o.quot && apos == o.apos && bare_amp == o.bare_amp;
  }
};

Markup markupOf(const std::string& html) {
  Markup m;
  for (size_t i = 0; i < html.size(); ++i) {
    switch (html[i]) {
      case '<': ++m.lt; break;
      case '>': ++m.gt; break;
      case '"': ++m.quot; break;
      case '\'': ++m.apos; break;
      case '&': {
        size_t j = i + 1;
        if (j < html.size() && html[j] == '#') ++j;
        while (j < html.size() && isalnum(static_cast<unsigned char>(html[j]))) ++j;
        if (!(j > i + 1 && j < html.size() && html[j] == ';')) ++m.bare_amp;
        break;
      }
    }
  }
  return m;
}

// The fuzzed texts, handed out in turn; the neutral twin hands out the same
// sequence with the markup characters replaced.
class Texts {
 public:
  Texts(std::vector<std::string> pool, bool neutralized) : pool_(std::move(pool)) {
    if (neutralized) {
      for (std::string& s : pool_) s = neutral(s);
    }
  }
  std::string next() { return pool_[i_++ % pool_.size()]; }

 private:
  std::vector<std::string> pool_;
  size_t i_ = 0;
};

// Everything but the texts: sizes, flags and numbers, the same for both renders.
struct Shape {
  bool signed_in, admin, mock_enabled, deposits, can_wake, can_hibernate, can_delete, job_failed, keep_awake,
      can_back_up, on_sleep, locked, done, live;
  int servers, rows, events, backups, page, pages, hour;
  int64_t cents;
  ChartSpec chart;  // title and unit come from the texts
};

Shape readShape(FuzzedDataProvider& in) {
  Shape s;
  s.signed_in = in.ConsumeBool();
  s.admin = in.ConsumeBool();
  s.mock_enabled = in.ConsumeBool();
  s.deposits = in.ConsumeBool();
  s.can_wake = in.ConsumeBool();
  s.can_hibernate = in.ConsumeBool();
  s.can_delete = in.ConsumeBool();
  s.job_failed = in.ConsumeBool();
  s.keep_awake = in.ConsumeBool();
  s.can_back_up = in.ConsumeBool();
  s.on_sleep = in.ConsumeBool();
  s.locked = in.ConsumeBool();
  s.done = in.ConsumeBool();
  s.live = in.ConsumeBool();
  s.servers = in.ConsumeIntegralInRange(0, 2);
  s.rows = in.ConsumeIntegralInRange(0, 2);
  s.events = in.ConsumeIntegralInRange(0, 2);
  s.backups = in.ConsumeIntegralInRange(0, 2);
  s.page = in.ConsumeIntegralInRange(1, 5);
  s.pages = in.ConsumeIntegralInRange(1, 5);
  s.hour = in.ConsumeIntegralInRange(-1, 23);
  s.cents = in.ConsumeIntegral<int64_t>();
  // A range as server_charts.cc asks for (an hour to a week, around now),
  // stretched up to a year; points anywhere near it, in any order.
  ChartSpec& c = s.chart;
  c.from_unix = in.ConsumeIntegralInRange<int64_t>(0, int64_t{1} << 36);
  c.to_unix = c.from_unix + in.ConsumeIntegralInRange<int64_t>(-60, 366 * 86400);
  c.step_seconds = in.ConsumeIntegralInRange<int64_t>(-1, 86400);
  c.min_top = in.PickValueInArray({0.0, 1.0, 100.0});
  const int points = in.ConsumeIntegralInRange(0, 40);
  for (int i = 0; i < points && in.remaining_bytes() > 0; ++i) {
    ChartPoint p;
    p.unix = c.from_unix + in.ConsumeIntegralInRange<int64_t>(-86400, 367 * 86400);
    uint64_t bits = in.ConsumeIntegral<uint64_t>();
    memcpy(&p.value, &bits, sizeof bits);  // any double: NaN, infinities, denormals
    p.max = in.ConsumeBool() ? p.value : p.value * in.ConsumeFloatingPointInRange<double>(0, 4);
    c.points.push_back(p);
  }
  return s;
}

std::vector<std::string> renderAll(const Shape& s, Texts t) {
  LayoutModel layout;
  layout.title = t.next();
  layout.active_nav = t.next();
  layout.signed_in = s.signed_in;
  layout.user_email = t.next();
  layout.user_is_admin = s.admin;
  layout.balance_cents = s.cents;
  layout.csrf_token = t.next();
  layout.flash_kind = t.next();
  layout.flash_message = t.next();
  layout.low_credit_warning = t.next();

  std::vector<std::string> out;
  out.push_back(views().login(layout, LoginPage{t.next(), s.mock_enabled}));

  MockConsentPage consent;
  consent.provider = t.next();
  consent.provider_name = t.next();
  consent.next = t.next();
  consent.email = t.next();
  consent.error = t.next();
  out.push_back(views().mockConsent(layout, consent));

  DashboardPage dashboard;
  dashboard.hourly_cost_cents = s.cents / 3;
  for (int i = 0; i < s.servers; ++i) {
    DashboardServer d;
    d.id = i + 1;
    d.name = t.next();
    d.game_name = t.next();
    d.state = t.next();
    d.address = t.next();
    d.ports_text = t.next();
    d.price_cents_per_hour = s.cents / 7;
    dashboard.servers.push_back(d);
  }
  out.push_back(views().dashboard(layout, dashboard));

  BillingPage billing;
  billing.balance_cents = s.cents;
  for (int i = 0; i < s.rows; ++i) {
    billing.daily_charges.push_back(DailyChargeRow{t.next(), t.next(), i, s.cents / 11});
    billing.entries.push_back(BillingEntry{t.next(), t.next(), t.next(), -(s.cents / 13), s.cents / 17});
  }
  billing.page = s.page;
  billing.pages = s.pages;
  billing.total_entries = s.rows;
  billing.max_deposit_cents = s.cents / 19;
  billing.deposits_enabled = s.deposits;
  billing.idempotency_key = t.next();
  billing.amount = t.next();
  billing.error = t.next();
  out.push_back(views().billing(layout, billing));

  CreateServerPage create;
  for (int i = 0; i < s.servers; ++i) {
    CatalogChoice g;
    g.id = i + 1;
    g.name = t.next();
    g.description = t.next();
    g.price_cents_per_hour = s.cents / 23;
    g.ports_text = t.next();
    g.ram_mb = 1024 * i;
    g.selected = i == 0;
    create.games.push_back(g);
  }
  create.name = t.next();
  create.error = t.next();
  create.balance_cents = s.cents;
  out.push_back(views().createServer(layout, create));

  ServerPage server;
  server.id = 42;
  server.name = t.next();
  server.game_name = t.next();
  server.state = t.next();
  server.state_message = t.next();
  server.address = t.next();
  server.port_lines = {t.next(), t.next()};
  server.price_cents_per_hour = s.cents / 29;
  server.ram_mb = 2048;
  server.cpu_millis = 1500;
  server.idle_minutes = 15;
  server.last_activity = t.next();
  server.live_clients = 3;
  server.created_at = t.next();
  server.can_wake = s.can_wake;
  server.can_hibernate = s.can_hibernate;
  server.can_delete = s.can_delete;
  server.job_line = t.next();
  server.job_failed = s.job_failed;
  server.paid_until = t.next();
  server.month_charges_cents = s.cents / 31;
  server.sleep_line = t.next();
  server.can_keep_awake = s.keep_awake;
  server.wake_label = t.next();
  for (int i = 0; i < s.events; ++i)
    server.events.push_back(ServerEventView{t.next(), t.next(), t.next(), t.next(), t.next()});
  server.chart_range = t.next();
  ChartSpec chart = s.chart;
  chart.title = t.next();
  chart.unit = t.next();
  server.cpu_chart_svg = renderChartSvg(chart);
  server.memory_chart_svg = server.cpu_chart_svg;
  server.players_chart_svg = renderChartSvg(ChartSpec{});
  server.week_costs.push_back(DayCostView{t.next(), 5, s.cents / 37});
  for (int i = 0; i < s.backups; ++i) {
    BackupView b;
    b.id = i + 1;
    b.created_at = t.next();
    b.state = t.next();
    b.size = t.next();
    b.message = t.next();
    b.target = t.next();
    b.reason = t.next();
    b.taken_while_running = s.live;
    b.locked = s.locked;
    b.done = s.done;
    server.backups.push_back(b);
  }
  server.backup_limit = 5;
  server.can_back_up = s.can_back_up;
  server.restore_label = t.next();
  server.backup_on_sleep = s.on_sleep;
  server.backup_daily_hour = s.hour;
  out.push_back(views().server(layout, server));

  out.push_back(views().error(layout, ErrorPage{404, t.next(), t.next()}));
  // The chart on its own, as /servers/{id}/charts serves it.
  out.push_back(renderChartSvg(chart));
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<std::string> pool;
  for (int i = 0; i < 3; ++i) pool.push_back(in.ConsumeRandomLengthString(64));
  const Shape shape = readShape(in);

  const std::vector<std::string> pages = renderAll(shape, Texts(pool, false));
  const std::vector<std::string> baseline = renderAll(shape, Texts(pool, true));
  check(pages.size() == baseline.size());
  for (size_t i = 0; i < pages.size(); ++i) {
    const bool svg = i + 1 == pages.size();
    check(pages[i].find(svg ? "</svg>" : "</html>") != std::string::npos);
    check(markupOf(pages[i]) == markupOf(baseline[i]));
  }
  return 0;
}
