#include "satisfactory_query.h"

#include <string_view>

#include "a2s_codec.h"  // utf8Prefix

namespace gsp::proxy {

namespace {

constexpr uint8_t kMagic[2] = {0xd5, 0xf6};  // 0xF6D5 little-endian
constexpr uint8_t kPollServerState = 0;
constexpr uint8_t kServerStateResponse = 1;
constexpr uint8_t kProtocolVersion = 1;
constexpr uint8_t kTerminator = 1;

void appendLe(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

bool parseSatisfactoryPoll(const char* data, size_t len, uint64_t* cookie) {
  if (len != kSatisfactoryPollSize) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(data);
  if (p[0] != kMagic[0] || p[1] != kMagic[1] || p[2] != kPollServerState || p[3] != kProtocolVersion ||
      p[12] != kTerminator)
    return false;
  uint64_t v = 0;
  for (int i = 11; i >= 4; --i) v = (v << 8) | p[i];
  *cookie = v;
  return true;
}

std::string encodeSatisfactoryState(uint64_t cookie, SatisfactoryState state, uint32_t net_cl,
                                    const std::string& name) {
  std::string out;
  out.push_back(static_cast<char>(kMagic[0]));
  out.push_back(static_cast<char>(kMagic[1]));
  out.push_back(static_cast<char>(kServerStateResponse));
  out.push_back(static_cast<char>(kProtocolVersion));
  appendLe(&out, cookie, 8);
  out.push_back(static_cast<char>(state));
  appendLe(&out, net_cl, 4);
  appendLe(&out, 0, 8);  // ServerFlags: bit 0 would say "modded"
  out.push_back(0);      // NumSubStates
  std::string_view n = utf8Prefix(name, kSatisfactoryMaxName);
  appendLe(&out, n.size(), 2);
  out.append(n.data(), n.size());
  out.push_back(static_cast<char>(kTerminator));
  return out;
}

}  // namespace gsp::proxy
