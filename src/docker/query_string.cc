#include "docker/query_string.h"

#include <cstring>

namespace gsp::docker {

std::string percentEncode(const std::string& text, const char* keep) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (c != 0 && std::strchr(keep, c) != nullptr)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Query& Query::add(const std::string& key, const std::string& value) {
  if (!text_.empty()) text_ += '&';
  text_ += percentEncode(key) + "=" + percentEncode(value);
  return *this;
}

}  // namespace gsp::docker
