// SaveFile: the demo game's persistent state, a tiny JSON file in its data
// directory ({"starts":N,"joins":N,"bytes_echoed":N}), read at start and
// written atomically (temp file + rename) on SIGTERM. Plain value.
#pragma once

#include <cstdint>
#include <string>

namespace gsp::demo {

struct SaveState {
  int64_t starts = 0;
  int64_t joins = 0;
  int64_t bytes_echoed = 0;
};

class SaveFile {
 public:
  explicit SaveFile(std::string dir) : path_(std::move(dir) + "/save.json") {}
  const std::string& path() const { return path_; }
  // A missing file is a fresh game (all zero); false only for an unreadable or corrupt one.
  bool load(SaveState* state, std::string* error) const;
  bool store(const SaveState& state, std::string* error) const;

 private:
  std::string path_;
};

}  // namespace gsp::demo
