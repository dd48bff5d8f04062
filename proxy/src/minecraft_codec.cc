#include "minecraft_codec.h"

#include "webhook_request.h"

namespace gsp::proxy::minecraft {

Parse readVarInt(std::string_view in, int32_t* value, size_t* used) {
  uint32_t result = 0;
  for (size_t i = 0; i < 5; ++i) {
    if (i >= in.size()) return Parse::kNeedMore;
    auto byte = static_cast<uint8_t>(in[i]);
    if (i == 4 && (byte & 0xf0)) return Parse::kMalformed;  // more than 32 bits
    result |= static_cast<uint32_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) {
      *value = static_cast<int32_t>(result);
      *used = i + 1;
      return Parse::kOk;
    }
  }
  return Parse::kMalformed;
}

void appendVarInt(std::string* out, int32_t value) {
  auto v = static_cast<uint32_t>(value);
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    out->push_back(static_cast<char>(byte));
  } while (v);
}

void appendString(std::string* out, std::string_view s) {
  appendVarInt(out, static_cast<int32_t>(s.size()));
  out->append(s.data(), s.size());
}

Parse readFrame(std::string_view in, size_t max_length, Frame* frame) {
  int32_t length = 0;
  size_t used = 0;
  Parse p = readVarInt(in, &length, &used);
  if (p != Parse::kOk) return p;
  if (length <= 0 || static_cast<size_t>(length) > max_length) return Parse::kMalformed;
  if (in.size() - used < static_cast<size_t>(length)) return Parse::kNeedMore;
  std::string_view packet = in.substr(used, static_cast<size_t>(length));
  int32_t id = 0;
  size_t id_used = 0;
  // The whole packet is here, so a short id is malformed, not truncated.
  if (readVarInt(packet, &id, &id_used) != Parse::kOk) return Parse::kMalformed;
  frame->id = id;
  frame->body = packet.substr(id_used);
  frame->size = used + static_cast<size_t>(length);
  return Parse::kOk;
}

Parse parseHandshake(std::string_view body, Handshake* out) {
  Handshake h;
  size_t used = 0;
  if (readVarInt(body, &h.protocol_version, &used) != Parse::kOk) return Parse::kMalformed;
  body.remove_prefix(used);
  int32_t length = 0;
  if (readVarInt(body, &length, &used) != Parse::kOk) return Parse::kMalformed;
  body.remove_prefix(used);
  // 255 characters of UTF-8 take at most 1020 bytes (Forge appends markers; allow them).
  if (length < 0 || length > 1020 || body.size() < static_cast<size_t>(length)) return Parse::kMalformed;
  h.server_address.assign(body.data(), static_cast<size_t>(length));
  body.remove_prefix(static_cast<size_t>(length));
  if (body.size() < 2) return Parse::kMalformed;
  h.server_port = static_cast<uint16_t>((static_cast<uint8_t>(body[0]) << 8) | static_cast<uint8_t>(body[1]));
  body.remove_prefix(2);
  if (readVarInt(body, &h.next_state, &used) != Parse::kOk) return Parse::kMalformed;
  body.remove_prefix(used);
  if (!body.empty() || h.next_state < 1 || h.next_state > 3) return Parse::kMalformed;
  *out = std::move(h);
  return Parse::kOk;
}

std::string encodeFrame(int32_t id, std::string_view body) {
  std::string packet;
  appendVarInt(&packet, id);
  packet.append(body.data(), body.size());
  std::string frame;
  appendVarInt(&frame, static_cast<int32_t>(packet.size()));
  frame += packet;
  return frame;
}

std::string statusJson(const std::string& motd, int32_t protocol_version, const std::string& version_name) {
  return "{\"version\":{\"name\":" + jsonString(version_name) +
         ",\"protocol\":" + std::to_string(protocol_version) +
         "},\"players\":{\"max\":0,\"online\":0,\"sample\":[]},\"description\":{\"text\":" +
         jsonString(motd) + "},\"enforcesSecureChat\":false}";
}

std::string statusResponseFrame(const std::string& json) {
  std::string body;
  appendString(&body, json);
  return encodeFrame(0x00, body);
}

std::string pongFrame(std::string_view payload) { return encodeFrame(0x01, payload); }

std::string loginDisconnectFrame(const std::string& reason) {
  std::string body;
  appendString(&body, "{\"text\":" + jsonString(reason) + "}");
  return encodeFrame(0x00, body);
}

}  // namespace gsp::proxy::minecraft
