// Billing rules (ARCHITECTURE.md, "Billing and sleep"), in one place for every
// program that decides: a server starts (is created or woken) only when its
// owner can pay its first hour. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gsp::domain {

bool canPayFirstHour(int64_t balance_cents, int64_t price_cents_per_hour);

// A server may start when its owner can pay an hour, or when an hour it was
// already charged for has not run out (it slept mid-hour): times in unix seconds.
bool canStart(int64_t balance_cents, int64_t price_cents_per_hour, int64_t paid_until, int64_t now);

inline constexpr int64_t kBilledPeriodSeconds = 3600;

// The start of the hour a RUNNING server must be charged for at `now`, or -1
// when it is paid (paid_until > now). A server that ran on past its paid time
// pays from there (periods follow each other); one that became RUNNING after
// its paid time ran out pays from that moment (running_since): the time it
// slept costs nothing. 0 for paid_until means "never paid".
int64_t hourToCharge(int64_t paid_until, int64_t running_since, int64_t now);

// Whole hours a balance pays for servers costing `cents_per_hour` together (0 when nothing costs).
int64_t hoursCovered(int64_t balance_cents, int64_t cents_per_hour);

// When the money runs out: each running server is charged when its paid time
// ends, earliest first (ties by id, the lifecycle's order); the first whose
// hour the balance cannot pay sleeps then. Returns the servers that will
// sleep, in order, with when (unix seconds), looking `horizon_hours` ahead.
struct RunningBill {
  int64_t server_id = 0;
  int64_t cents_per_hour = 0;
  int64_t paid_until = 0;
};
struct ForecastSleep {
  int64_t server_id = 0;
  int64_t at = 0;
};
std::vector<ForecastSleep> outOfCreditForecast(int64_t balance_cents, std::vector<RunningBill> servers,
                                               int horizon_hours);

// Why a start was refused, for the owner: "Starting Demo Game needs credits for one hour ($0.05). ..."
std::string firstHourRefusal(const std::string& game_name, int64_t price_cents_per_hour);

}  // namespace gsp::domain
