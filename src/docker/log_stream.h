// Demultiplexing of a container's log stream (containers without a TTY): the
// engine sends frames of an 8-byte header [stream 0|1|2, 0, 0, 0, big-endian
// uint32 size] and a payload; with timestamps=true each message starts with an
// RFC 3339 time and a space. LogDemuxer turns those bytes, fed in any pieces,
// into lines tagged with their stream and time, and reports a corrupt or
// truncated stream instead of guessing. One LogDemuxer per stream; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "docker/docker_error.h"

namespace gsp::docker {

enum class LogStream { kStdin = 0, kStdout = 1, kStderr = 2 };

const char* logStreamName(LogStream stream);  // "stdin", "stdout", "stderr"

struct LogLine {
  LogStream stream = LogStream::kStdout;
  std::string timestamp;   // as the engine wrote it; empty without timestamps
  int64_t unix_nanos = 0;  // the same instant, nanoseconds since the epoch; 0 if none
  std::string text;        // without its newline
};

class LogDemuxer {
 public:
  // A frame bigger than this is taken as a sign of a stream that is not framed.
  static constexpr uint32_t kMaxFrameBytes = 16u << 20;

  explicit LogDemuxer(bool timestamps) : timestamps_(timestamps) {}

  // Consumes the next bytes; each completed line is appended to *out. Returns
  // false once the stream is found corrupt; later input is then ignored.
  bool feed(const char* data, size_t size, std::vector<LogLine>* out);

  // End of stream: emits the lines still waiting for a newline, then reports
  // a corrupt stream or one that stopped inside a frame.
  DockerStatus finish(std::vector<LogLine>* out);

 private:
  // A line being assembled; messages longer than the engine's 16 KiB buffer
  // come as several frames, each with its own timestamp, and no newline but the last.
  struct Pending {
    bool open = false;
    std::string timestamp;
    int64_t unix_nanos = 0;
    std::string text;
  };

  void consumeFrame(std::vector<LogLine>* out);
  void emit(LogStream stream, std::vector<LogLine>* out);

  const bool timestamps_;
  std::string header_;          // bytes of the current header, up to 8
  std::string payload_;         // bytes of the current frame so far
  uint32_t frame_size_ = 0;
  LogStream frame_stream_ = LogStream::kStdout;
  uint64_t offset_ = 0;         // bytes consumed, for messages
  std::string corrupt_;         // why the stream was rejected; empty while fine
  Pending pending_[3];          // indexed by LogStream
};

// "2024-05-01T12:00:00.123456789Z" (or with +02:00) -> nanoseconds since the epoch.
std::optional<int64_t> parseRfc3339Nanos(const std::string& text);

}  // namespace gsp::docker
