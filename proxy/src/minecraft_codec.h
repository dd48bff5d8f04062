// Minecraft Java Edition wire codec for the few packets gsp-proxy speaks while
// the game sleeps: VarInt framing, the handshake, Server List Ping status and
// pong, and the login disconnect. Every reader bounds-checks and reports
// truncated input (kNeedMore) apart from malformed input (kMalformed).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace gsp::proxy::minecraft {

enum class Parse { kOk, kNeedMore, kMalformed };

// Largest frame accepted before the game runs (handshake, status, login start).
constexpr size_t kMaxGreetingFrame = 4096;

Parse readVarInt(std::string_view in, int32_t* value, size_t* used);
void appendVarInt(std::string* out, int32_t value);
void appendString(std::string* out, std::string_view s);

struct Frame {
  int32_t id = 0;
  std::string_view body;  // after the packet id
  size_t size = 0;        // whole frame, length prefix included
};
// One length-prefixed packet from the front of `in`.
Parse readFrame(std::string_view in, size_t max_length, Frame* frame);

struct Handshake {
  int32_t protocol_version = 0;
  std::string server_address;
  uint16_t server_port = 0;
  int32_t next_state = 0;  // 1 status, 2 login, 3 transfer
};
Parse parseHandshake(std::string_view body, Handshake* out);

std::string encodeFrame(int32_t id, std::string_view body);

// {"version":{...},"players":{...},"description":{"text":motd}}
std::string statusJson(const std::string& motd, int32_t protocol_version, const std::string& version_name);
std::string statusResponseFrame(const std::string& json);
std::string pongFrame(std::string_view payload);
// Login-state disconnect with a plain text reason.
std::string loginDisconnectFrame(const std::string& reason);

}  // namespace gsp::proxy::minecraft
