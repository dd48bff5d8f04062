#include <cppunit/extensions/HelperMacros.h>

#include <string>
#include <vector>

#include "docker/log_stream.h"

using gsp::docker::ErrorKind;
using gsp::docker::LogDemuxer;
using gsp::docker::LogLine;
using gsp::docker::LogStream;
using gsp::docker::parseRfc3339Nanos;

namespace {

// One frame as the engine writes it: [stream, 0, 0, 0, size (big-endian)] + payload.
std::string frame(int stream, const std::string& payload) {
  std::string f(8, '\0');
  f[0] = static_cast<char>(stream);
  const uint32_t n = static_cast<uint32_t>(payload.size());
  f[4] = static_cast<char>(n >> 24);
  f[5] = static_cast<char>(n >> 16);
  f[6] = static_cast<char>(n >> 8);
  f[7] = static_cast<char>(n);
  return f + payload;
}

const std::string kT1 = "2024-05-01T12:00:00.000000001Z";
const std::string kT2 = "2024-05-01T12:00:01.500000000Z";
const int64_t kT1Nanos = 1714564800LL * 1000000000LL + 1;
const int64_t kT2Nanos = 1714564801LL * 1000000000LL + 500000000;

struct Demuxed {
  std::vector<LogLine> lines;
  gsp::docker::DockerStatus status;
};

Demuxed demux(const std::string& bytes, size_t piece = 0, bool timestamps = true) {
  LogDemuxer d(timestamps);
  Demuxed out;
  if (piece == 0) piece = bytes.size() ? bytes.size() : 1;
  for (size_t i = 0; i < bytes.size(); i += piece) {
    d.feed(bytes.data() + i, std::min(piece, bytes.size() - i), &out.lines);
  }
  out.status = d.finish(&out.lines);
  return out;
}

}  // namespace

class LogStreamTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(LogStreamTest);
  CPPUNIT_TEST(splitsStdoutAndStderrWithTimestamps);
  CPPUNIT_TEST(sameLinesWhateverThePieces);
  CPPUNIT_TEST(joinsAMessageSplitAcrossFrames);
  CPPUNIT_TEST(keepsSeveralLinesOfOneFrameAndEmptyLines);
  CPPUNIT_TEST(emitsALastLineWithoutNewline);
  CPPUNIT_TEST(reportsAStreamEndingInsideAFrame);
  CPPUNIT_TEST(rejectsGarbageButKeepsEarlierLines);
  CPPUNIT_TEST(keepsTextWithoutATimestamp);
  CPPUNIT_TEST(parsesRfc3339Times);
  CPPUNIT_TEST_SUITE_END();

 public:
  void splitsStdoutAndStderrWithTimestamps() {
    auto r = demux(frame(1, kT1 + " out one\n") + frame(2, kT2 + " err one\n") + frame(1, kT2 + " out two\n"));
    CPPUNIT_ASSERT_MESSAGE(r.status.message(), r.status.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(3), r.lines.size());
    CPPUNIT_ASSERT(r.lines[0].stream == LogStream::kStdout);
    CPPUNIT_ASSERT_EQUAL(std::string("out one"), r.lines[0].text);
    CPPUNIT_ASSERT_EQUAL(kT1, r.lines[0].timestamp);
    CPPUNIT_ASSERT_EQUAL(kT1Nanos, r.lines[0].unix_nanos);
    CPPUNIT_ASSERT(r.lines[1].stream == LogStream::kStderr);
    CPPUNIT_ASSERT_EQUAL(std::string("err one"), r.lines[1].text);
    CPPUNIT_ASSERT_EQUAL(kT2Nanos, r.lines[1].unix_nanos);
    CPPUNIT_ASSERT_EQUAL(std::string("out two"), r.lines[2].text);
  }

  void sameLinesWhateverThePieces() {
    const std::string bytes = frame(1, kT1 + " alpha\n") + frame(2, kT1 + " beta\n") + frame(1, kT2 + " gamma\n");
    auto whole = demux(bytes);
    for (size_t piece : {1, 2, 3, 7, 8, 9, 13}) {
      auto r = demux(bytes, piece);
      CPPUNIT_ASSERT(r.status.isOk());
      CPPUNIT_ASSERT_EQUAL(whole.lines.size(), r.lines.size());
      for (size_t i = 0; i < r.lines.size(); ++i) {
        CPPUNIT_ASSERT_EQUAL(whole.lines[i].text, r.lines[i].text);
        CPPUNIT_ASSERT_EQUAL(whole.lines[i].unix_nanos, r.lines[i].unix_nanos);
        CPPUNIT_ASSERT(whole.lines[i].stream == r.lines[i].stream);
      }
    }
  }

  void joinsAMessageSplitAcrossFrames() {
    // The engine cuts messages over 16 KiB into parts, each with its own time;
    // an stderr line may come between the parts.
    const std::string part1(16384, 'a');
    auto r = demux(frame(1, kT1 + " " + part1) + frame(2, kT1 + " in between\n") +
                   frame(1, kT2 + " tail\n"));
    CPPUNIT_ASSERT(r.status.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(2), r.lines.size());
    CPPUNIT_ASSERT_EQUAL(std::string("in between"), r.lines[0].text);
    CPPUNIT_ASSERT_EQUAL(part1 + "tail", r.lines[1].text);
    CPPUNIT_ASSERT_EQUAL(kT1Nanos, r.lines[1].unix_nanos);  // the time of the first part
  }

  void keepsSeveralLinesOfOneFrameAndEmptyLines() {
    auto r = demux(frame(1, kT1 + " one\ntwo\n\nfour\n") + frame(1, kT2 + " \n"));
    CPPUNIT_ASSERT(r.status.isOk());
    const std::vector<std::string> want = {"one", "two", "", "four", ""};
    CPPUNIT_ASSERT_EQUAL(want.size(), r.lines.size());
    for (size_t i = 0; i < want.size(); ++i) CPPUNIT_ASSERT_EQUAL(want[i], r.lines[i].text);
    CPPUNIT_ASSERT_EQUAL(kT1Nanos, r.lines[3].unix_nanos);
    CPPUNIT_ASSERT_EQUAL(kT2Nanos, r.lines[4].unix_nanos);
  }

  void emitsALastLineWithoutNewline() {
    auto r = demux(frame(1, kT1 + " done\n") + frame(2, kT2 + " no newline"));
    CPPUNIT_ASSERT(r.status.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(2), r.lines.size());
    CPPUNIT_ASSERT_EQUAL(std::string("no newline"), r.lines[1].text);
    CPPUNIT_ASSERT(r.lines[1].stream == LogStream::kStderr);
  }

  void reportsAStreamEndingInsideAFrame() {
    const std::string good = frame(1, kT1 + " kept\n");
    const std::string next = frame(1, kT2 + " cut short\n");
    struct { size_t keep; const char* says; } cases[] = {
        {3, "3 of 8 header bytes"}, {8, "0 of"}, {14, "6 of"}, {next.size() - 1, "payload bytes"}};
    for (const auto& c : cases) {
      auto r = demux(good + next.substr(0, c.keep), 5);
      CPPUNIT_ASSERT(!r.status.isOk());
      CPPUNIT_ASSERT(r.status.error().kind() == ErrorKind::kBadResponse);
      CPPUNIT_ASSERT_MESSAGE(r.status.message(), r.status.message().find("ended inside a frame") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(r.status.message(), r.status.message().find(c.says) != std::string::npos);
      CPPUNIT_ASSERT_EQUAL(size_t(1), r.lines.size());
      CPPUNIT_ASSERT_EQUAL(std::string("kept"), r.lines[0].text);
    }
  }

  void rejectsGarbageButKeepsEarlierLines() {
    std::string huge = frame(1, "x");
    huge[4] = '\x7f';  // a 2 GiB frame: not a log stream
    const std::string cases[] = {
        "plain text from a TTY container\n",
        std::string("\x05\0\0\0\0\0\0\x01z", 9),   // stream 5 does not exist
        std::string("\x01\0\x01\0\0\0\0\x01z", 9), // padding must be zero
        huge,
    };
    for (const std::string& garbage : cases) {
      LogDemuxer d(true);
      std::vector<LogLine> lines;
      const std::string good = frame(2, kT1 + " before\n");
      CPPUNIT_ASSERT(d.feed(good.data(), good.size(), &lines));
      CPPUNIT_ASSERT(!d.feed(garbage.data(), garbage.size(), &lines));
      const std::string more = frame(1, kT1 + " after\n");
      CPPUNIT_ASSERT(!d.feed(more.data(), more.size(), &lines));  // ignored once corrupt
      auto status = d.finish(&lines);
      CPPUNIT_ASSERT(!status.isOk());
      CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("not framed") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(status.message(), status.message().find("at byte " + std::to_string(good.size())) != std::string::npos);
      CPPUNIT_ASSERT_EQUAL(size_t(1), lines.size());
      CPPUNIT_ASSERT_EQUAL(std::string("before"), lines[0].text);
    }
  }

  void keepsTextWithoutATimestamp() {
    auto r = demux(frame(1, "no time here\n") + frame(1, "2024-13-01T00:00:00Z bad month\n"));
    CPPUNIT_ASSERT(r.status.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(2), r.lines.size());
    CPPUNIT_ASSERT_EQUAL(std::string("no time here"), r.lines[0].text);
    CPPUNIT_ASSERT_EQUAL(std::string(), r.lines[0].timestamp);
    CPPUNIT_ASSERT_EQUAL(int64_t(0), r.lines[0].unix_nanos);
    CPPUNIT_ASSERT_EQUAL(std::string("2024-13-01T00:00:00Z bad month"), r.lines[1].text);
    // Asked without timestamps, a leading time is part of the text.
    auto raw = demux(frame(1, kT1 + " text\n"), 0, false);
    CPPUNIT_ASSERT_EQUAL(kT1 + " text", raw.lines[0].text);
  }

  void parsesRfc3339Times() {
    struct { const char* text; int64_t nanos; } good[] = {
        {"1970-01-01T00:00:00Z", 0},
        {"2024-05-01T12:00:00Z", 1714564800LL * 1000000000LL},
        {"2024-05-01T12:00:00.000000001Z", kT1Nanos},
        {"2024-05-01T12:00:00.25Z", 1714564800LL * 1000000000LL + 250000000},
        {"2024-05-01T14:00:00.000000001+02:00", kT1Nanos},
        {"2000-02-29T23:59:59Z", 951868799LL * 1000000000LL},
        {"2024-02-29T00:00:00Z", 1709164800LL * 1000000000LL},
        {"2024-12-31T00:00:00Z", 1735603200LL * 1000000000LL},
        {"1969-12-31T23:59:59Z", -1000000000LL},
    };
    for (const auto& c : good) {
      auto n = parseRfc3339Nanos(c.text);
      CPPUNIT_ASSERT_MESSAGE(c.text, n.has_value());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.nanos, *n);
    }
    const char* bad[] = {"", "2024-05-01", "2024-05-01T12:00:00", "2024-05-01 12:00:00Z",
                         "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00Zjunk", "2024-5-01T12:00:00Z",
                         "2024-05-01T25:00:00Z", "2024-05-01T12:00:00+0200", "2024-02-31T00:00:00Z",
                         "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z",
                         "2024-13-01T00:00:00Z", "2024-00-10T00:00:00Z"};
    for (const char* b : bad) CPPUNIT_ASSERT_MESSAGE(b, !parseRfc3339Nanos(b).has_value());
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(LogStreamTest);
