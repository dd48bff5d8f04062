#include "docker/log_stream.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace gsp::docker {

namespace {

constexpr size_t kHeaderBytes = 8;

// Reads `n` digits at text[*pos]; advances pos.
bool digits(std::string_view text, size_t* pos, size_t n, int64_t* value) {
  if (*pos + n > text.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *value = v;
  return true;
}

bool expect(std::string_view text, size_t* pos, char c) {
  if (*pos >= text.size() || text[*pos] != c) return false;
  ++*pos;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), so no time zone database or timegm is involved.
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int64_t daysInMonth(int64_t year, int64_t month) {
  static const int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string hexPreview(const std::string& bytes) {
  std::string out;
  char buf[4];
  for (unsigned char c : bytes) {
    snprintf(buf, sizeof buf, "%02x", c);
    out += buf;
  }
  return out;
}

}  // namespace

const char* logStreamName(LogStream stream) {
  switch (stream) {
    case LogStream::kStdin: return "stdin";
    case LogStream::kStdout: return "stdout";
    case LogStream::kStderr: return "stderr";
  }
  return "?";
}

std::optional<int64_t> parseRfc3339Nanos(const std::string& text) {
  std::string_view t = text;
  size_t pos = 0;
  int64_t year, month, day, hour, minute, second;
  if (!digits(t, &pos, 4, &year) || !expect(t, &pos, '-') || !digits(t, &pos, 2, &month) ||
      !expect(t, &pos, '-') || !digits(t, &pos, 2, &day) || !expect(t, &pos, 'T') ||
      !digits(t, &pos, 2, &hour) || !expect(t, &pos, ':') || !digits(t, &pos, 2, &minute) ||
      !expect(t, &pos, ':') || !digits(t, &pos, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  int64_t nanos = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    int scale = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (scale < 9) {
        nanos = nanos * 10 + (t[pos] - '0');
        ++scale;
      }
      ++pos;
    }
    if (scale == 0) return std::nullopt;
    for (; scale < 9; ++scale) nanos *= 10;
  }
  int64_t offset_seconds = 0;
  if (pos < t.size() && t[pos] == 'Z') {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    const int64_t sign = t[pos] == '-' ? -1 : 1;
    ++pos;
    int64_t oh, om;
    if (!digits(t, &pos, 2, &oh) || !expect(t, &pos, ':') || !digits(t, &pos, 2, &om)) {
      return std::nullopt;
    }
    offset_seconds = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != t.size()) return std::nullopt;
  const int64_t seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                          second - offset_seconds;
  // Nanoseconds in an int64 reach only 1677..2262: the engine's "never"
  // (0001-01-01T00:00:00Z, a FinishedAt of a container that never stopped)
  // and any other time outside are no time at all (found by fuzzing).
  int64_t result = 0;
  if (__builtin_mul_overflow(seconds, int64_t{1000000000}, &result) || __builtin_add_overflow(result, nanos, &result))
    return std::nullopt;
  return result;
}

bool LogDemuxer::feed(const char* data, size_t size, std::vector<LogLine>* out) {
  size_t pos = 0;
  while (pos < size && corrupt_.empty()) {
    if (header_.size() < kHeaderBytes) {
      const size_t take = std::min(kHeaderBytes - header_.size(), size - pos);
      header_.append(data + pos, take);
      pos += take;
      offset_ += take;
      if (header_.size() < kHeaderBytes) break;
      const auto* h = reinterpret_cast<const unsigned char*>(header_.data());
      frame_size_ = (uint32_t{h[4]} << 24) | (uint32_t{h[5]} << 16) | (uint32_t{h[6]} << 8) | h[7];
      if (h[0] > 2 || h[1] != 0 || h[2] != 0 || h[3] != 0 || frame_size_ > kMaxFrameBytes) {
        corrupt_ = "log stream is not framed as expected: bad frame header " + hexPreview(header_) +
                   " at byte " + std::to_string(offset_ - kHeaderBytes);
        break;
      }
      frame_stream_ = static_cast<LogStream>(h[0]);
      payload_.clear();
    } else {
      const size_t take = std::min<size_t>(frame_size_ - payload_.size(), size - pos);
      payload_.append(data + pos, take);
      pos += take;
      offset_ += take;
    }
    if (header_.size() == kHeaderBytes && payload_.size() == frame_size_) {
      consumeFrame(out);
      header_.clear();
      payload_.clear();
    }
  }
  return corrupt_.empty();
}

void LogDemuxer::consumeFrame(std::vector<LogLine>* out) {
  Pending& p = pending_[static_cast<int>(frame_stream_)];
  std::string_view rest = payload_;
  std::string timestamp;
  int64_t nanos = 0;
  if (timestamps_) {
    const size_t space = rest.find(' ');
    if (space != std::string_view::npos) {
      std::string token(rest.substr(0, space));
      if (auto parsed = parseRfc3339Nanos(token)) {
        timestamp = std::move(token);
        nanos = *parsed;
        rest.remove_prefix(space + 1);
      }
    }
  }
  // The continuation of a long message keeps the time of its first part.
  if (!p.open) {
    p.timestamp = timestamp;
    p.unix_nanos = nanos;
  }
  while (!rest.empty()) {
    const size_t newline = rest.find('\n');
    p.open = true;
    if (newline == std::string_view::npos) {
      p.text.append(rest);
      break;
    }
    p.text.append(rest.substr(0, newline));
    rest.remove_prefix(newline + 1);
    emit(frame_stream_, out);
    // Further lines in the same frame (e.g. attach output) share its time.
    p.timestamp = timestamp;
    p.unix_nanos = nanos;
  }
}

void LogDemuxer::emit(LogStream stream, std::vector<LogLine>* out) {
  Pending& p = pending_[static_cast<int>(stream)];
  out->push_back(LogLine{stream, std::move(p.timestamp), p.unix_nanos, std::move(p.text)});
  p = Pending();
}

DockerStatus LogDemuxer::finish(std::vector<LogLine>* out) {
  for (int s = 0; s < 3; ++s) {
    if (pending_[s].open) emit(static_cast<LogStream>(s), out);
  }
  if (!corrupt_.empty()) return DockerError(ErrorKind::kBadResponse, corrupt_);
  if (!header_.empty()) {
    const std::string got = header_.size() < kHeaderBytes
                                ? std::to_string(header_.size()) + " of 8 header bytes"
                                : std::to_string(payload_.size()) + " of " +
                                      std::to_string(frame_size_) + " payload bytes";
    return DockerError(ErrorKind::kBadResponse,
                       "log stream ended inside a frame (" + got + " at byte " +
                           std::to_string(offset_) + ")");
  }
  return DockerStatus();
}

}  // namespace gsp::docker
