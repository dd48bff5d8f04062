#include "a2s_codec.h"

#include <cstring>

namespace gsp::proxy {

namespace {

constexpr char kHeader[] = "\xff\xff\xff\xff";
constexpr size_t kHeaderSize = 4;
// The INFO payload, its NUL included.
constexpr std::string_view kInfoPayload("Source Engine Query\0", 20);
constexpr uint8_t kInfoProtocol = 17;

// Steam's buffer sizes for what a game server sets, NUL included (steam_gameserver.h).
constexpr size_t kMaxName = 64;
constexpr size_t kMaxMap = 32;
constexpr size_t kMaxFolder = 32;
constexpr size_t kMaxGame = 64;
constexpr size_t kMaxVersion = 64;  // Steam has no constant for it; as long as a name

uint32_t readLe32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

void appendLe(std::string* out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A NUL-terminated field of at most `size` bytes, NUL included.
void appendField(std::string* out, std::string_view s, size_t size) {
  s = s.substr(0, s.find('\0'));
  s = utf8Prefix(s, size - 1);
  out->append(s.data(), s.size());
  out->push_back('\0');
}

std::string answer(char type) {
  std::string out(kHeader, kHeaderSize);
  out.push_back(type);
  return out;
}

uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

void sipRound(uint64_t v[4]) {
  v[0] += v[1]; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32);
  v[2] += v[3]; v[3] = rotl(v[3], 16); v[3] ^= v[2];
  v[0] += v[3]; v[3] = rotl(v[3], 21); v[3] ^= v[0];
  v[2] += v[1]; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32);
}

uint64_t loadLe64(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = n; i > 0; --i) v = (v << 8) | p[i - 1];
  return v;
}

}  // namespace

A2sRequest parseA2sRequest(const char* data, size_t len) {
  A2sRequest request;
  if (len < kHeaderSize + 1 || len > kA2sMaxDatagram || std::memcmp(data, kHeader, kHeaderSize) != 0) return request;
  std::string_view body(data + kHeaderSize + 1, len - kHeaderSize - 1);
  A2sKind kind;
  switch (data[kHeaderSize]) {
    case 'T':
      if (body.substr(0, kInfoPayload.size()) != kInfoPayload) return request;
      body.remove_prefix(kInfoPayload.size());
      kind = A2sKind::kInfo;
      if (body.empty()) {  // before the Dec 2020 change, and a client's first try since
        request.kind = kind;
        return request;
      }
      break;
    case 'U':
      kind = A2sKind::kPlayer;
      break;
    case 'V':
      kind = A2sKind::kRules;
      break;
    default:
      return request;
  }
  if (body.size() != 4) return request;
  request.kind = kind;
  request.challenge = readLe32(body.data());
  request.has_challenge = request.challenge != kA2sNoChallenge;
  return request;
}

std::string encodeA2sChallenge(uint32_t challenge) {
  std::string out = answer('A');
  appendLe(&out, challenge, 4);
  return out;
}

std::string encodeA2sInfo(const A2sInfo& info) {
  std::string out = answer('I');
  out.push_back(static_cast<char>(kInfoProtocol));
  appendField(&out, info.name, kMaxName);
  appendField(&out, info.map, kMaxMap);
  appendField(&out, info.folder, kMaxFolder);
  appendField(&out, info.game, kMaxGame);
  appendLe(&out, info.app_id & 0xffff, 2);
  out.push_back(static_cast<char>(info.players));
  out.push_back(static_cast<char>(info.max_players));
  out.push_back(static_cast<char>(info.bots));
  out.push_back('d');                      // dedicated
  out.push_back('l');                      // Linux
  out.push_back(info.password ? 1 : 0);    // visibility: 1 = password
  out.push_back(0);                        // VAC: not secured
  appendField(&out, info.version, kMaxVersion);
  // Extra data, in the order the wiki gives: 0x80 port, (0x10, 0x40, 0x20 unused), 0x01 game id.
  out.push_back(static_cast<char>((info.game_port ? 0x80 : 0) | 0x01));
  if (info.game_port) appendLe(&out, info.game_port, 2);
  // A Steam game id: the app id in the low 24 bits, type 0 (app), no mod id.
  appendLe(&out, info.app_id & 0xffffff, 8);
  return out;
}

std::string encodeA2sPlayersEmpty() {
  std::string out = answer('D');
  out.push_back(0);
  return out;
}

std::string encodeA2sRulesEmpty() {
  std::string out = answer('E');
  appendLe(&out, 0, 2);
  return out;
}

uint64_t sipHash24(const SipHashKey& key, std::string_view data) {
  const uint64_t k0 = loadLe64(key.data(), 8);
  const uint64_t k1 = loadLe64(key.data() + 8, 8);
  uint64_t v[4] = {0x736f6d6570736575ULL ^ k0, 0x646f72616e646f6dULL ^ k1, 0x6c7967656e657261ULL ^ k0,
                   0x7465646279746573ULL ^ k1};
  const auto* p = reinterpret_cast<const uint8_t*>(data.data());
  size_t whole = data.size() / 8 * 8;
  for (size_t i = 0; i < whole; i += 8) {
    uint64_t m = loadLe64(p + i, 8);
    v[3] ^= m;
    sipRound(v);
    sipRound(v);
    v[0] ^= m;
  }
  // The last block: the remaining bytes and the length's low byte on top.
  uint64_t last = loadLe64(p + whole, data.size() - whole) | (static_cast<uint64_t>(data.size()) << 56);
  v[3] ^= last;
  sipRound(v);
  sipRound(v);
  v[0] ^= last;
  v[2] ^= 0xff;
  for (int i = 0; i < 4; ++i) sipRound(v);
  return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint32_t a2sChallenge(const SipHashKey& secret, std::string_view client, uint64_t bucket) {
  std::string message;
  appendLe(&message, bucket, 8);  // fixed size first, so (bucket, client) pairs cannot collide
  message.append(client.data(), client.size());
  auto challenge = static_cast<uint32_t>(sipHash24(secret, message));
  if (challenge == 0 || challenge == kA2sNoChallenge) challenge = 0x5a5a5a5a;
  return challenge;
}

bool a2sChallengeValid(const SipHashKey& secret, std::string_view client, uint64_t bucket, uint32_t challenge) {
  if (challenge == a2sChallenge(secret, client, bucket)) return true;
  return bucket > 0 && challenge == a2sChallenge(secret, client, bucket - 1);
}

std::string_view utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Back off over continuation bytes (10xxxxxx) to the lead byte of the sequence cut through.
  while (end > 0 && (static_cast<uint8_t>(s[end]) & 0xc0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace gsp::proxy
