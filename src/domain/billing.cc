#include "domain/billing.h"

#include <algorithm>

#include "core/money.h"

namespace gsp::domain {

bool canPayFirstHour(int64_t balance_cents, int64_t price_cents_per_hour) {
  return balance_cents >= price_cents_per_hour;
}

bool canStart(int64_t balance_cents, int64_t price_cents_per_hour, int64_t paid_until, int64_t now) {
  return paid_until > now || canPayFirstHour(balance_cents, price_cents_per_hour);
}

int64_t hourToCharge(int64_t paid_until, int64_t running_since, int64_t now) {
  if (paid_until > now) return -1;
  return std::max(paid_until, running_since);
}

int64_t hoursCovered(int64_t balance_cents, int64_t cents_per_hour) {
  if (cents_per_hour <= 0) return 0;
  return balance_cents <= 0 ? 0 : balance_cents / cents_per_hour;
}

std::vector<ForecastSleep> outOfCreditForecast(int64_t balance, std::vector<RunningBill> servers, int horizon_hours) {
  std::vector<ForecastSleep> sleeps;
  if (servers.empty()) return sleeps;
  int64_t horizon = servers.front().paid_until;
  for (const RunningBill& s : servers) horizon = std::min(horizon, s.paid_until);
  horizon += int64_t(horizon_hours) * kBilledPeriodSeconds;
  while (!servers.empty()) {
    auto next = std::min_element(servers.begin(), servers.end(), [](const RunningBill& a, const RunningBill& b) {
      return a.paid_until != b.paid_until ? a.paid_until < b.paid_until : a.server_id < b.server_id;
    });
    if (next->paid_until > horizon) break;
    if (balance >= next->cents_per_hour && next->cents_per_hour > 0) {
      balance -= next->cents_per_hour;
      next->paid_until += kBilledPeriodSeconds;
    } else if (next->cents_per_hour == 0) {
      next->paid_until += kBilledPeriodSeconds;  // free: never sleeps for money
    } else {
      sleeps.push_back({next->server_id, next->paid_until});
      servers.erase(next);
    }
  }
  return sleeps;
}

std::string firstHourRefusal(const std::string& game_name, int64_t price_cents_per_hour) {
  return "Starting " + game_name + " needs credits for one hour (" + money::format(price_cents_per_hour) +
         "). Add funds on the billing page first.";
}

}  // namespace gsp::domain
