// libFuzzer target: what gsp-proxy reads from a Minecraft client before the
// game runs (proxy/src/minecraft_codec.h, minecraft_greeter.h). The input is
// one connection's bytes and how they arrive: byte 0's low 3 bits say how
// many chunk sizes follow (one byte each); the rest is the stream, cut into
// chunks of those sizes, the remainder as the last chunk. The greeter is fed
// the growing buffer after each chunk, and again after each kReply, as
// TcpSession::greet does. Properties, beyond "no crash, no sanitizer report":
//   - after kClose, kLogin or kReplyAndClose it never asks for more: a later
//     feed, with more bytes, is kClose with no reply;
//   - a reply is one well-formed frame (readFrame takes all of it): a status
//     (id 0) for kReply, at most once, and for kReplyAndClose the pong (id 1)
//     echoing the 8 bytes of the client's ping (its third frame);
//   - kLogin comes with a handshake whose next state is login or transfer;
//   - on the raw stream, readVarInt, readFrame and parseHandshake stay inside
//     their input (ASan), report used <= its size, and re-encoding what they
//     read (appendVarInt, encodeFrame, the handshake's fields) reads back the same.
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/minecraft_greeter.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "minecraft_codec.h"
#include "minecraft_greeter.h"

using namespace gsp::proxy;
using minecraft::Parse;

namespace {

// Minecraft's largest packet (2^21 - 1): big enough for any reply.
constexpr size_t kMaxAnyFrame = (1 << 21) - 1;
constexpr size_t kMaxChunkSizes = 7;

void check(bool ok) {
  if (!ok) abort();
}

// `part` lies inside `whole` (a view into it, not a copy elsewhere).
bool inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void checkVarInt(std::string_view in) {
  int32_t value = 0;
  size_t used = 0;
  Parse p = minecraft::readVarInt(in, &value, &used);
  if (p == Parse::kNeedMore) check(in.size() < 5);
  if (p != Parse::kOk) return;
  check(used >= 1 && used <= 5 && used <= in.size());
  std::string canonical;
  minecraft::appendVarInt(&canonical, value);
  int32_t again = 0;
  size_t again_used = 0;
  check(minecraft::readVarInt(canonical, &again, &again_used) == Parse::kOk);
  check(again == value && again_used == canonical.size() && canonical.size() <= used);
}

void checkHandshake(std::string_view body) {
  minecraft::Handshake h;
  if (minecraft::parseHandshake(body, &h) != Parse::kOk) return;
  check(h.next_state >= 1 && h.next_state <= 3 && h.server_address.size() <= body.size());
  std::string canonical;
  minecraft::appendVarInt(&canonical, h.protocol_version);
  minecraft::appendString(&canonical, h.server_address);
  canonical.push_back(static_cast<char>(h.server_port >> 8));
  canonical.push_back(static_cast<char>(h.server_port & 0xff));
  minecraft::appendVarInt(&canonical, h.next_state);
  minecraft::Handshake again;
  check(minecraft::parseHandshake(canonical, &again) == Parse::kOk);
  check(again.protocol_version == h.protocol_version && again.server_address == h.server_address &&
        again.server_port == h.server_port && again.next_state == h.next_state);
}

// Every frame at the front of `in`, one after another, as the greeter reads them.
void checkFrames(std::string_view in) {
  for (int i = 0; i < 8; ++i) {
    checkVarInt(in);
    minecraft::Frame frame;
    if (minecraft::readFrame(in, minecraft::kMaxGreetingFrame, &frame) != Parse::kOk) return;
    check(frame.size >= 2 && frame.size <= in.size() && inside(frame.body, in.substr(0, frame.size)));
    check(frame.body.data() + frame.body.size() == in.data() + frame.size);
    std::string encoded = minecraft::encodeFrame(frame.id, frame.body);
    minecraft::Frame again;
    check(minecraft::readFrame(encoded, kMaxAnyFrame, &again) == Parse::kOk);
    check(again.id == frame.id && again.body == frame.body && again.size == encoded.size());
    checkHandshake(frame.body);
    in.remove_prefix(frame.size);
  }
}

// `reply` is exactly one frame; returns it.
minecraft::Frame wholeFrame(const std::string& reply) {
  minecraft::Frame frame;
  check(minecraft::readFrame(reply, kMaxAnyFrame, &frame) == Parse::kOk && frame.size == reply.size());
  return frame;
}

// The body of the `n`th frame (from 0) of what the client sent.
std::string_view clientFrame(std::string_view received, int n) {
  minecraft::Frame frame;
  for (int i = 0; i <= n; ++i) {
    check(minecraft::readFrame(received, minecraft::kMaxGreetingFrame, &frame) == Parse::kOk);
    received.remove_prefix(frame.size);
  }
  return frame.body;
}

// One connection: the greeter fed `chunks` as they arrive.
void greet(const std::vector<std::string_view>& chunks) {
  MinecraftGreeter greeter("Zzz \"sleeping\"\n\xe2\x80\x94 join to \\wake\\ \x01");
  std::string received;
  int replies = 0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    received.append(chunks[i]);
    for (;;) {
      MinecraftGreeter::Step step = greeter.feed(received);
      switch (step.action) {
        case MinecraftGreeter::Action::kNeedMore:
          check(step.reply.empty());
          break;
        case MinecraftGreeter::Action::kReply:
          check(wholeFrame(step.reply).id == 0x00 && greeter.handshake().next_state == 1);
          check(++replies == 1);
          continue;
        case MinecraftGreeter::Action::kReplyAndClose: {
          minecraft::Frame pong = wholeFrame(step.reply);
          check(pong.id == 0x01 && pong.body.size() == 8 && pong.body == clientFrame(received, 2));
          break;
        }
        case MinecraftGreeter::Action::kLogin:
          check(step.reply.empty());
          check(greeter.handshake().next_state == 2 || greeter.handshake().next_state == 3);
          break;
        case MinecraftGreeter::Action::kClose:
          check(step.reply.empty());
          break;
      }
      if (step.action == MinecraftGreeter::Action::kNeedMore) break;
      // Done: whatever else arrives, the greeter wants nothing more.
      for (size_t j = i + 1; j < chunks.size(); ++j) received.append(chunks[j]);
      received.append("\x00", 1);
      MinecraftGreeter::Step after = greeter.feed(received);
      check(after.action == MinecraftGreeter::Action::kClose && after.reply.empty());
      return;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t count = size > 0 ? (data[0] & kMaxChunkSizes) : 0;
  size_t header = std::min(size, 1 + count);
  std::string_view stream = in.substr(header);

  checkFrames(stream);
  checkHandshake(stream);

  std::vector<std::string_view> chunks;
  std::string_view rest = stream;
  for (size_t i = 1; i < header; ++i) {
    size_t n = std::min<size_t>(data[i], rest.size());
    chunks.push_back(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  chunks.push_back(rest);
  greet(chunks);
  return 0;
}
