// Valve's Steam server queries (A2S) as a Steam game server such as Valheim
// answers them on its query port: requests INFO, PLAYER and RULES, and the
// answers INFO, an empty player list, an empty rule list and S2C_CHALLENGE.
// Single-packet datagrams only (header FF FF FF FF), little-endian.
// Challenges are stateless (a2sChallenge): the caller keeps a random secret
// and a clock, this file neither. Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gsp::proxy {

// Largest A2S datagram either way (the protocol's single-packet limit).
constexpr size_t kA2sMaxDatagram = 1400;
// A client sends this in place of a challenge to ask for one.
constexpr uint32_t kA2sNoChallenge = 0xffffffff;

enum class A2sKind { kInfo, kPlayer, kRules, kNotA2s };

struct A2sRequest {
  A2sKind kind = A2sKind::kNotA2s;
  bool has_challenge = false;  // false when absent or kA2sNoChallenge
  uint32_t challenge = 0;
};

// One datagram. kNotA2s for anything but a well-formed request: short, over
// kA2sMaxDatagram, another header (FE: split), another type, an INFO payload
// other than "Source Engine Query\0", or bytes after the challenge.
A2sRequest parseA2sRequest(const char* data, size_t len);

struct A2sInfo {
  std::string name;     // at most 63 bytes are sent (Steam's k_cbMaxGameServerName)
  std::string map;      // 31 (k_cbMaxGameServerMapName)
  std::string folder;   // 31 (k_cbMaxGameServerGameDir)
  std::string game;     // 63 (k_cbMaxGameServerGameDescription)
  std::string version;  // 63
  uint32_t app_id = 0;  // Steam app id; Valheim's is 892970
  uint8_t players = 0;
  uint8_t max_players = 0;
  uint8_t bots = 0;
  bool password = false;
  uint16_t game_port = 0;  // 0: unknown, not sent
};

// FF FF FF FF 'A' + challenge.
std::string encodeA2sChallenge(uint32_t challenge);
// FF FF FF FF 'I' ...: a dedicated ('d') Linux ('l') server without VAC, and
// the extra data flags 0x80 (game port, unless 0) and 0x01 (64-bit game id,
// because the 16-bit app id field only holds the low bits of ids like
// Valheim's). Strings longer than Steam lets a server set are cut at a UTF-8
// boundary, and at a NUL, which would end them early; the answer is at most
// 282 bytes.
std::string encodeA2sInfo(const A2sInfo& info);
// FF FF FF FF 'D' with no players.
std::string encodeA2sPlayersEmpty();
// FF FF FF FF 'E' with no rules.
std::string encodeA2sRulesEmpty();

using SipHashKey = std::array<uint8_t, 16>;

// The challenge the server gives `client` (any bytes naming its address and
// port) in time bucket `bucket` (e.g. seconds / 30): SipHash-2-4 of both
// under a `secret` chosen at random per process, so a client cannot forge one
// for an address it does not receive at (the point: no amplified answers to
// spoofed sources), and the server keeps no state per client.
// Never 0 (gamedig takes it for "none") nor kA2sNoChallenge.
uint32_t a2sChallenge(const SipHashKey& secret, std::string_view client, uint64_t bucket);
// Is `challenge` what `client` was given in `bucket` or the one before?
bool a2sChallengeValid(const SipHashKey& secret, std::string_view client, uint64_t bucket, uint32_t challenge);

// SipHash-2-4 (Aumasson and Bernstein); exposed for its test vectors.
uint64_t sipHash24(const SipHashKey& key, std::string_view data);

// The longest prefix of `s` of at most `max_bytes` that does not end inside
// a UTF-8 sequence (valid input stays valid).
std::string_view utf8Prefix(std::string_view s, size_t max_bytes);

}  // namespace gsp::proxy
