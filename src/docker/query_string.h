// Building request targets: percent-encoding of path segments and query
// values (RFC 3986), and a small query-string builder. Plain values.
#pragma once

#include <string>

namespace gsp::docker {

// Every byte outside A-Z a-z 0-9 - . _ ~ and those in `keep` becomes %XX.
std::string percentEncode(const std::string& text, const char* keep = "");

class Query {
 public:
  Query& add(const std::string& key, const std::string& value);
  Query& add(const std::string& key, const char* value) { return add(key, std::string(value)); }
  Query& add(const std::string& key, bool value) { return add(key, std::string(value ? "1" : "0")); }
  Query& add(const std::string& key, long long value) { return add(key, std::to_string(value)); }
  // "" when empty, else "?k=v&k2=v2".
  std::string str() const { return text_.empty() ? text_ : "?" + text_; }

 private:
  std::string text_;
};

}  // namespace gsp::docker
