#include "core/log.h"

#include <unistd.h>

#include <atomic>

namespace gsp::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
const char* const kNames[] = {"debug", "info", "warn", "error"};
}  // namespace

void setLevel(Level level) { g_level = static_cast<int>(level); }

bool parseLevel(const std::string& name, Level* out) {
  for (int i = 0; i < 4; ++i) {
    if (name == kNames[i]) {
      *out = static_cast<Level>(i);
      return true;
    }
  }
  return false;
}

bool enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

std::string formatLine(Level level, const std::string& message) {
  std::string line = std::string("[") + kNames[static_cast<int>(level)] + "] ";
  line.reserve(line.size() + message.size() + 1);
  for (unsigned char c : message) {
    if (c >= 0x20 && c != 0x7f) {
      line.push_back(static_cast<char>(c));
    } else {
      static const char kHex[] = "0123456789abcdef";
      line += "\\x";
      line.push_back(kHex[c >> 4]);
      line.push_back(kHex[c & 15]);
    }
  }
  line.push_back('\n');
  return line;
}

void write(Level level, const std::string& message) {
  const std::string line = formatLine(level, message);
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace gsp::log
