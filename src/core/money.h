// Money is integer cents everywhere; this is the one place that turns cents
// into text and whole-credit input into cents. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace gsp::money {

// 123456 -> "$1,234.56"; -150 -> "-$1.50".
std::string format(int64_t cents);

// Parses a form field holding a positive whole amount of credits ("25"), up
// to `max_cents`. Leading/trailing spaces are allowed; signs, decimals,
// exponents and anything else are not. Returns the amount in cents.
Result<int64_t> parseWholeAmount(const std::string& text, int64_t max_cents);

}  // namespace gsp::money
