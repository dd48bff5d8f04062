#include "web/context.h"

#include <ctime>

#include "core/clock_text.h"
#include "core/money.h"
#include "db/server_repository.h"
#include "domain/billing.h"
#include "web/request_parser.h"
#include "web/security.h"

namespace gsp::web {

LayoutModel Context::layout(const std::string& title, const std::string& nav) const {
  LayoutModel m;
  m.title = title;
  m.active_nav = nav;
  m.csrf_token = csrf_key.empty() ? "" : csrfTokenFor(csrf_key);
  if (user) {
    m.signed_in = true;
    m.user_email = user->email;
    m.user_is_admin = isAdmin();
    m.balance_cents = user->credits_cents;
    if (user->low_credit) m.low_credit_warning = lowCreditWarning();
  }
  m.flash_kind = flash_kind;
  m.flash_message = flash_message;
  return m;
}

std::string Context::lowCreditWarning() const {
  std::vector<db::ServerRepository::Running> running = db::ServerRepository(db).runningForUser(user->id);
  std::vector<domain::RunningBill> bills;
  for (const auto& r : running) bills.push_back({r.id, r.cents_per_hour, r.paid_until_unix});
  std::vector<domain::ForecastSleep> sleeps = domain::outOfCreditForecast(user->credits_cents, bills, 48);
  std::string text = "Low credit: your balance of " + money::format(user->credits_cents) +
                     " pays for your running servers only a little longer.";
  for (size_t i = 0; i < sleeps.size() && i < 5; ++i) {
    for (const auto& r : running) {
      if (r.id == sleeps[i].server_id) text += (i == 0 ? " " : ", then ") + r.name + " sleeps at " + utcClock(sleeps[i].at);
    }
  }
  if (!sleeps.empty()) text += ".";
  return text + " Add funds to keep them running.";
}

Cookie Context::cookie(const std::string& name, const std::string& value, int max_age_seconds) const {
  Cookie c;
  c.name = name;
  c.value = value;
  c.max_age_seconds = max_age_seconds;
  c.secure = request.https;
  return c;
}

Response Context::redirectWithFlash(const std::string& location, const std::string& kind,
                                    const std::string& message) {
  Response r = Response::redirect(location);
  r.cookies.push_back(cookie(kFlashCookie, percentEncode(kind + ":" + message), 60));
  return r;
}

}  // namespace gsp::web
