#include "save_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gsp::demo {

namespace {
bool readField(const std::string& json, const std::string& name, int64_t* out) {
  size_t at = json.find("\"" + name + "\"");
  if (at == std::string::npos) return false;
  at = json.find(':', at);
  if (at == std::string::npos) return false;
  char* end = nullptr;
  long long v = strtoll(json.c_str() + at + 1, &end, 10);
  if (end == json.c_str() + at + 1) return false;
  *out = v;
  return true;
}
}  // namespace

bool SaveFile::load(SaveState* state, std::string* error) const {
  std::ifstream in(path_);
  if (!in) {
    if (errno == ENOENT) {
      *state = SaveState{};
      return true;
    }
    *error = path_ + ": " + strerror(errno);
    return false;
  }
  std::stringstream s;
  s << in.rdbuf();
  SaveState st;
  if (!readField(s.str(), "starts", &st.starts) || !readField(s.str(), "joins", &st.joins) ||
      !readField(s.str(), "bytes_echoed", &st.bytes_echoed)) {
    *error = path_ + ": not a save file";
    return false;
  }
  *state = st;
  return true;
}

bool SaveFile::store(const SaveState& st, std::string* error) const {
  std::string tmp = path_ + ".tmp";
  std::string body = "{\"starts\":" + std::to_string(st.starts) + ",\"joins\":" + std::to_string(st.joins) +
                     ",\"bytes_echoed\":" + std::to_string(st.bytes_echoed) + "}\n";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = tmp + ": " + strerror(errno);
    return false;
  }
  bool ok = write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && fsync(fd) == 0;
  close(fd);
  if (!ok || rename(tmp.c_str(), path_.c_str()) != 0) {
    *error = path_ + ": " + strerror(errno);
    return false;
  }
  return true;
}

}  // namespace gsp::demo
