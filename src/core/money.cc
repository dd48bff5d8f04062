#include "core/money.h"

namespace gsp::money {

std::string format(int64_t cents) {
  bool negative = cents < 0;
  // Work in unsigned so INT64_MIN does not overflow on negation.
  uint64_t abs = negative ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  std::string whole = std::to_string(abs / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(whole[i]);
  }
  unsigned frac = static_cast<unsigned>(abs % 100);
  std::string out = negative ? "-$" : "$";
  out += grouped;
  out.push_back('.');
  out.push_back(static_cast<char>('0' + frac / 10));
  out.push_back(static_cast<char>('0' + frac % 10));
  return out;
}

Result<int64_t> parseWholeAmount(const std::string& text, int64_t max_cents) {
  size_t begin = text.find_first_not_of(" \t");
  size_t end = text.find_last_not_of(" \t");
  if (begin == std::string::npos) return Status::invalid("Enter an amount.");
  std::string digits = text.substr(begin, end - begin + 1);
  const std::string limit = "The most you can add at once is " + format(max_cents) + ".";
  for (char c : digits) {
    if (c < '0' || c > '9') return Status::invalid("Enter a whole number of credits, like 25.");
  }
  if (digits.size() > 12) return Status::invalid(limit);
  int64_t whole = std::stoll(digits);
  if (whole <= 0) return Status::invalid("The amount must be at least $1.");
  if (whole * 100 > max_cents) return Status::invalid(limit);
  return whole * 100;
}

}  // namespace gsp::money
