// libFuzzer target: the demultiplexer of a non-TTY container's log stream and
// the RFC 3339 parser behind its timestamps (src/docker/log_stream.h), fed the
// way a network read delivers bytes. Input: [flags][k][k chunk sizes][stream],
// flags bit 0 = timestamps=1, k taken modulo 17; the stream is fed whole, in
// chunks of the given sizes (cycled; 0 = an empty read), and byte by byte.
// Properties, beyond "no crash, no sanitizer report":
//   - the lines, the feed() verdict and finish()'s status are the same however
//     the stream is chunked;
//   - the lines are exactly the stream's payloads: per stream, the payloads of
//     the complete frames before the first bad header (less a leading parsable
//     timestamp and its space) are the lines joined by newlines; no line holds
//     a newline, and together they are never longer than the input;
//   - finish() is ok exactly when the stream is whole frames with good headers;
//   - a line's time is empty without timestamps, else parses to its unix_nanos;
//   - parseRfc3339Nanos accepts only the grammar with fields in range and
//     returns the exact instant (computed here independently, in 128 bits):
//     a time outside int64 nanoseconds (before 1677, after 2262) is rejected.
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/log_stream.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/log_stream.h"

using namespace gsp::docker;

namespace {

constexpr size_t kByteByByteMax = 1024;  // feeding one byte at a time costs a call per byte

struct Run {
  std::vector<LogLine> lines;
  bool fed_ok = true;
  bool finish_ok = false;
  std::string finish_message;
};

// sizes: chunk sizes to cycle through; empty: the whole stream in one call.
Run demux(bool timestamps, std::string_view stream, const std::vector<size_t>& sizes) {
  Run r;
  LogDemuxer d(timestamps);
  if (sizes.empty()) {
    r.fed_ok = d.feed(stream.data(), stream.size(), &r.lines);
  } else {
    size_t pos = 0;
    for (size_t i = 0; pos < stream.size(); ++i) {
      const size_t n = std::min(sizes[i % sizes.size()], stream.size() - pos);
      const bool ok = d.feed(stream.data() + pos, n, &r.lines);
      if (!ok) r.fed_ok = false;
      else if (!r.fed_ok) abort();  // a corrupt stream stays corrupt
      pos += n;
    }
  }
  DockerStatus s = d.finish(&r.lines);
  r.finish_ok = s.isOk();
  r.finish_message = s.error().message();
  return r;
}

bool sameRun(const Run& a, const Run& b) {
  if (a.fed_ok != b.fed_ok || a.finish_ok != b.finish_ok || a.finish_message != b.finish_message ||
      a.lines.size() != b.lines.size())
    return false;
  for (size_t i = 0; i < a.lines.size(); ++i) {
    const LogLine& x = a.lines[i];
    const LogLine& y = b.lines[i];
    if (x.stream != y.stream || x.timestamp != y.timestamp || x.unix_nanos != y.unix_nanos || x.text != y.text)
      return false;
  }
  return true;
}

// What the lines must add up to, found without the demuxer: per stream, the
// payloads of the complete frames before the first bad header.
struct Expected {
  std::string payloads[3];
  bool whole = true;  // only whole frames with good headers
};

Expected expectedPayloads(bool timestamps, std::string_view s) {
  Expected e;
  size_t pos = 0;
  while (pos < s.size()) {
    if (s.size() - pos < 8) { e.whole = false; break; }
    const auto* h = reinterpret_cast<const unsigned char*>(s.data() + pos);
    const uint32_t n = (uint32_t{h[4]} << 24) | (uint32_t{h[5]} << 16) | (uint32_t{h[6]} << 8) | h[7];
    if (h[0] > 2 || h[1] || h[2] || h[3] || n > LogDemuxer::kMaxFrameBytes) { e.whole = false; break; }
    if (s.size() - pos - 8 < n) { e.whole = false; break; }
    std::string_view payload = s.substr(pos + 8, n);
    if (timestamps) {
      const size_t space = payload.find(' ');
      if (space != std::string_view::npos && parseRfc3339Nanos(std::string(payload.substr(0, space))))
        payload.remove_prefix(space + 1);
    }
    e.payloads[h[0]].append(payload);
    pos += 8 + n;
  }
  return e;
}

// An independent reading of "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)":
// the exact nanoseconds since the epoch, in 128 bits so nothing overflows.
std::optional<__int128> referenceNanos(std::string_view t) {
  auto num = [&](size_t at, size_t n, int64_t* v) {
    if (at + n > t.size()) return false;
    *v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      *v = *v * 10 + (t[i] - '0');
    }
    return true;
  };
  int64_t y, mo, d, h, mi, s;
  if (!num(0, 4, &y) || t.size() < 19 || t[4] != '-' || !num(5, 2, &mo) || t[7] != '-' || !num(8, 2, &d) ||
      t[10] != 'T' || !num(11, 2, &h) || t[13] != ':' || !num(14, 2, &mi) || t[16] != ':' || !num(17, 2, &s))
    return std::nullopt;
  static const int kLength[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap_year = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return std::nullopt;
  if (d > kLength[mo - 1] + (mo == 2 && leap_year ? 1 : 0)) return std::nullopt;  // no 2024-02-31
  size_t pos = 19;
  __int128 frac = 0;
  if (pos < t.size() && t[pos] == '.') {
    size_t n = 0;
    for (++pos; pos < t.size() && t[pos] >= '0' && t[pos] <= '9'; ++pos, ++n) {
      if (n < 9) frac = frac * 10 + (t[pos] - '0');
    }
    if (n == 0) return std::nullopt;
    for (; n < 9; ++n) frac *= 10;
  }
  int64_t offset = 0;
  if (pos < t.size() && t[pos] == 'Z') {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int64_t oh, om;
    if (!num(pos + 1, 2, &oh) || pos + 3 >= t.size() || t[pos + 3] != ':' || !num(pos + 4, 2, &om))
      return std::nullopt;
    offset = (t[pos] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != t.size()) return std::nullopt;
  // Days before year y since 0000-01-01, then before month mo, then the day.
  static const int kBefore[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int64_t prior = y - 1;
  int64_t days = y == 0 ? 0 : 366 + prior * 365 + prior / 4 - prior / 100 + prior / 400;
  days += kBefore[mo - 1] + (leap && mo > 2 ? 1 : 0) + d - 1;
  const int64_t kDaysTo1970 = 719528;  // 0000-01-01 .. 1970-01-01
  const __int128 seconds = __int128(days - kDaysTo1970) * 86400 + h * 3600 + mi * 60 + s - offset;
  return seconds * 1000000000 + frac;
}

void checkTimestamp(const std::string& text) {
  const std::optional<int64_t> got = parseRfc3339Nanos(text);
  const std::optional<__int128> want = referenceNanos(text);
  if (!want) {
    if (got) abort();  // accepted something outside the grammar or with a field out of range
    return;
  }
  const bool fits = *want >= INT64_MIN && *want <= INT64_MAX;
  if (!fits) {
    if (got) abort();  // must be rejected, not wrapped
    return;
  }
  if (!got || *got != *want) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const bool timestamps = data[0] & 1;
  const size_t k = std::min<size_t>(data[1] % 17, size - 2);
  std::vector<size_t> sizes(data + 2, data + 2 + k);
  size_t total = 0;
  for (size_t n : sizes) total += n;
  if (total == 0) sizes.assign(1, 1);
  std::string_view stream(reinterpret_cast<const char*>(data) + 2 + k, size - 2 - k);

  // The parser alone, on the stream's first line (it starts a frame's payload).
  checkTimestamp(std::string(stream.substr(0, std::min<size_t>(stream.find('\n'), 64))));

  const Run whole = demux(timestamps, stream, {});
  if (!sameRun(whole, demux(timestamps, stream, sizes))) abort();
  if (stream.size() <= kByteByByteMax && !sameRun(whole, demux(timestamps, stream, {1}))) abort();

  const Expected want = expectedPayloads(timestamps, stream);
  if (whole.finish_ok != want.whole) abort();
  if (whole.finish_ok && !whole.fed_ok) abort();
  std::string joined[3];
  size_t text_bytes = 0;
  for (const LogLine& l : whole.lines) {
    const int s = static_cast<int>(l.stream);
    if (s < 0 || s > 2 || l.text.find('\n') != std::string::npos) abort();
    text_bytes += l.text.size();
    joined[s] += l.text;
    joined[s] += '\n';
    if (l.timestamp.empty()) {
      if (l.unix_nanos != 0) abort();
    } else {
      if (!timestamps || l.timestamp.find(' ') != std::string::npos) abort();
      const std::optional<int64_t> t = parseRfc3339Nanos(l.timestamp);
      if (!t || *t != l.unix_nanos) abort();
      checkTimestamp(l.timestamp);
    }
  }
  if (text_bytes > stream.size()) abort();
  for (int s = 0; s < 3; ++s) {
    const std::string& p = want.payloads[s];
    // Every line but an unterminated last one came from a newline in the payloads.
    const std::string expect = p.empty() || p.back() == '\n' ? p : p + '\n';
    if (joined[s] != expect) abort();
  }
  return 0;
}
