// IPv4 blocks ("10.201.0.0/16") and the pool of equal subnets that servers'
// private networks are carved from (servers.network-pool). The engine's own
// default pools give about 30 bridge networks per host, far fewer than a host
// runs servers, so the agent names each network's subnet itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gsp {

struct Ipv4Block {
  uint32_t base = 0;  // host order; the host bits are zero
  int prefix = 32;

  uint64_t size() const { return uint64_t(1) << (32 - prefix); }
  bool overlaps(const Ipv4Block& other) const;
  std::string str() const;  // "10.201.0.16/28"
};

// Parses "a.b.c.d/n" (n 0-32, host bits zero); nullopt for anything else.
std::optional<Ipv4Block> parseIpv4Block(const std::string& text);

// `block` cut into subnets of `prefix` bits: at(0) is its first.
class SubnetPool {
 public:
  SubnetPool(Ipv4Block block, int prefix) : block_(block), prefix_(prefix) {}

  uint32_t count() const { return static_cast<uint32_t>(block_.size() >> (32 - prefix_)); }
  Ipv4Block at(uint32_t index) const;  // index < count()
  const Ipv4Block& block() const { return block_; }

 private:
  Ipv4Block block_;
  int prefix_;
};

}  // namespace gsp
