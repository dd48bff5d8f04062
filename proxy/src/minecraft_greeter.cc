#include "minecraft_greeter.h"

namespace gsp::proxy {

using minecraft::Parse;

MinecraftGreeter::Step MinecraftGreeter::feed(const std::string& received) {
  Step step;
  if (phase_ == Phase::kDone) {
    step.action = Action::kClose;
    return step;
  }
  std::string_view in(received);
  in.remove_prefix(offset_);
  if (phase_ == Phase::kHandshake && !in.empty() && static_cast<uint8_t>(in[0]) == 0xFE) {
    // Legacy (pre-1.7) ping: such clients cannot join a modern server anyway.
    phase_ = Phase::kDone;
    step.action = Action::kClose;
    return step;
  }
  minecraft::Frame frame;
  Parse p = minecraft::readFrame(in, minecraft::kMaxGreetingFrame, &frame);
  if (p == Parse::kNeedMore) return step;
  if (p == Parse::kMalformed) {
    phase_ = Phase::kDone;
    step.action = Action::kClose;
    return step;
  }
  switch (phase_) {
    case Phase::kHandshake:
      if (frame.id != 0x00 || minecraft::parseHandshake(frame.body, &handshake_) != Parse::kOk) break;
      offset_ += frame.size;
      if (handshake_.next_state == 1) {
        phase_ = Phase::kStatusRequest;
        return feed(received);  // the status request often comes in the same segment
      }
      phase_ = Phase::kDone;
      step.action = Action::kLogin;
      return step;
    case Phase::kStatusRequest:
      if (frame.id != 0x00 || !frame.body.empty()) break;
      offset_ += frame.size;
      phase_ = Phase::kPing;
      step.action = Action::kReply;
      step.reply = minecraft::statusResponseFrame(
          minecraft::statusJson(motd_, handshake_.protocol_version, "sleeping"));
      return step;
    case Phase::kPing:
      if (frame.id != 0x01 || frame.body.size() != 8) break;
      offset_ += frame.size;
      phase_ = Phase::kDone;
      step.action = Action::kReplyAndClose;
      step.reply = minecraft::pongFrame(frame.body);
      return step;
    case Phase::kDone:
      break;
  }
  phase_ = Phase::kDone;
  step.action = Action::kClose;
  return step;
}

}  // namespace gsp::proxy
