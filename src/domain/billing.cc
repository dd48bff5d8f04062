#include "domain/billing.h"

#include "core/money.h"

namespace gsp::domain {

bool canPayFirstHour(int64_t balance_cents, int64_t price_cents_per_hour) {
  return balance_cents >= price_cents_per_hour;
}

std::string firstHourRefusal(const std::string& game_name, int64_t price_cents_per_hour) {
  return "Starting " + game_name + " needs credits for one hour (" + money::format(price_cents_per_hour) +
         "). Add funds on the billing page first.";
}

}  // namespace gsp::domain
