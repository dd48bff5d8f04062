// A small logging facade: one line per message to stderr, where journald collects it.
// Thread-safe: each line is written with a single write(2).
#pragma once

#include <sstream>
#include <string>

namespace gsp::log {

enum class Level { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

void setLevel(Level level);
bool parseLevel(const std::string& name, Level* out);
bool enabled(Level level);
void write(Level level, const std::string& message);
// "[level] message\n", every control byte of the message written as \xNN, so
// text from outside (a decoded URL path, an engine's error) can never forge a line.
std::string formatLine(Level level, const std::string& message);

// Usage: log::info() << "listening on " << path;
class Line {
 public:
  explicit Line(Level level) : level_(level) {}
  ~Line() { if (enabled(level_)) write(level_, out_.str()); }
  template <typename T>
  Line& operator<<(const T& v) { if (enabled(level_)) out_ << v; return *this; }

 private:
  Level level_;
  std::ostringstream out_;
};

inline Line debug() { return Line(Level::kDebug); }
inline Line info() { return Line(Level::kInfo); }
inline Line warn() { return Line(Level::kWarn); }
inline Line error() { return Line(Level::kError); }

}  // namespace gsp::log
