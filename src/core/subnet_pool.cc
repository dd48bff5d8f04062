#include "core/subnet_pool.h"

#include <arpa/inet.h>

namespace gsp {

namespace {

uint32_t maskOf(int prefix) { return prefix == 0 ? 0 : ~uint32_t(0) << (32 - prefix); }

}  // namespace

bool Ipv4Block::overlaps(const Ipv4Block& other) const {
  // Two aligned blocks overlap exactly when the larger one holds the other's base.
  const uint32_t mask = maskOf(prefix < other.prefix ? prefix : other.prefix);
  return (base & mask) == (other.base & mask);
}

std::string Ipv4Block::str() const {
  return std::to_string(base >> 24) + "." + std::to_string((base >> 16) & 0xff) + "." +
         std::to_string((base >> 8) & 0xff) + "." + std::to_string(base & 0xff) + "/" + std::to_string(prefix);
}

std::optional<Ipv4Block> parseIpv4Block(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash + 1 == text.size() || text.size() - slash > 3) return std::nullopt;
  int prefix = 0;
  for (size_t i = slash + 1; i < text.size(); i++) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    prefix = prefix * 10 + (text[i] - '0');
  }
  if (prefix > 32) return std::nullopt;
  struct in_addr addr;
  // inet_pton takes only the dotted quad of four decimal parts, no "10.1" short forms.
  if (inet_pton(AF_INET, text.substr(0, slash).c_str(), &addr) != 1) return std::nullopt;
  Ipv4Block b;
  b.base = ntohl(addr.s_addr);
  b.prefix = prefix;
  if ((b.base & ~maskOf(prefix)) != 0) return std::nullopt;
  return b;
}

Ipv4Block SubnetPool::at(uint32_t index) const {
  Ipv4Block b;
  b.base = block_.base + (index << (32 - prefix_));
  b.prefix = prefix_;
  return b;
}

}  // namespace gsp
