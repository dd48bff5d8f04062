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

void write(Level level, const std::string& message) {
  std::string line = std::string("[") + kNames[static_cast<int>(level)] + "] " + message + "\n";
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace gsp::log
