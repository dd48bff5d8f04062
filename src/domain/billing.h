// Billing rules (ARCHITECTURE.md, "Billing and sleep"), in one place for every
// program that decides: a server starts (is created or woken) only when its
// owner can pay its first hour. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace gsp::domain {

bool canPayFirstHour(int64_t balance_cents, int64_t price_cents_per_hour);

// Why a start was refused, for the owner: "Starting Demo Game needs credits for one hour ($0.05). ..."
std::string firstHourRefusal(const std::string& game_name, int64_t price_cents_per_hour);

}  // namespace gsp::domain
