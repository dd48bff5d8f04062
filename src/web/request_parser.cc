#include "web/request_parser.h"

#include <cctype>

namespace gsp::web {

namespace {

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Strict UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool validUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

bool hasControlBytes(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
  }
  return false;
}

ParseError bad(std::string message) { return ParseError{400, std::move(message)}; }

}  // namespace

bool percentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  std::string s;
  s.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;  // needs two hex digits after '%'
      int hi = hexDigit(in[i + 1]), lo = hexDigit(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      s.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      s.push_back(' ');
    } else {
      s.push_back(c);
    }
  }
  // Newlines are legitimate in textareas; other control bytes are not.
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
  }
  if (!validUtf8(s)) return false;
  *out = std::move(s);
  return true;
}

std::string percentEncode(std::string_view in) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 15]);
    }
  }
  return out;
}

ParseError parseUrlEncoded(std::string_view in, size_t max_fields, StringMap* out) {
  size_t count = 0;
  size_t pos = 0;
  while (pos <= in.size()) {
    size_t amp = in.find('&', pos);
    if (amp == std::string_view::npos) amp = in.size();
    std::string_view pair = in.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    if (++count > max_fields) return bad("Too many fields.");
    size_t eq = pair.find('=');
    std::string key, value;
    if (!percentDecode(pair.substr(0, eq), true, &key)) return bad("Malformed field name.");
    if (eq != std::string_view::npos && !percentDecode(pair.substr(eq + 1), true, &value))
      return bad("Malformed value for field '" + key + "'.");
    if (key.empty()) continue;
    out->emplace(std::move(key), std::move(value));
  }
  return {};
}

ParseError parseCookies(std::string_view header, size_t max_cookies, StringMap* out) {
  if (hasControlBytes(header)) return bad("Malformed Cookie header.");
  size_t pos = 0;
  size_t count = 0;
  while (pos < header.size()) {
    size_t semi = header.find(';', pos);
    if (semi == std::string_view::npos) semi = header.size();
    std::string_view pair = header.substr(pos, semi - pos);
    pos = semi + 1;
    size_t b = pair.find_first_not_of(' ');
    if (b == std::string_view::npos) continue;
    pair = pair.substr(b);
    size_t eq = pair.find('=');
    if (eq == 0 || eq == std::string_view::npos) continue;
    if (++count > max_cookies) return bad("Too many cookies.");
    std::string name(pair.substr(0, eq));
    std::string_view value = pair.substr(eq + 1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    out->emplace(std::move(name), std::string(value));
  }
  return {};
}

ParseError parseRequest(const StringMap& params, std::string body, const ParseLimits& limits,
                        Request* out) {
  auto get = [&](const char* key) -> const std::string& {
    static const std::string kEmpty;
    auto it = params.find(key);
    return it == params.end() ? kEmpty : it->second;
  };
  Request r;
  r.method = get("REQUEST_METHOD");
  if (r.method.empty() || r.method.size() > 16) return bad("Malformed request method.");
  for (char c : r.method) {
    if (c < 'A' || c > 'Z') return bad("Malformed request method.");
  }

  r.raw_target = get("REQUEST_URI");
  if (r.raw_target.empty() || r.raw_target[0] != '/') return bad("Malformed request target.");
  if (r.raw_target.size() > limits.max_target_bytes) return ParseError{414, "Request target too long."};
  std::string_view target = r.raw_target;
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  std::string_view raw_query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  if (!percentDecode(raw_path, false, &r.path)) return bad("Malformed path.");
  ParseError e = parseUrlEncoded(raw_query, limits.max_fields, &r.query);
  if (e.failed()) return e;

  if (body.size() > limits.max_body_bytes) return ParseError{413, "Request body too large."};
  std::string content_type = get("CONTENT_TYPE");
  for (auto& c : content_type) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  if (content_type.compare(0, 33, "application/x-www-form-urlencoded") == 0) {
    e = parseUrlEncoded(body, limits.max_fields, &r.form);
    if (e.failed()) return e;
  }
  r.body = std::move(body);

  e = parseCookies(get("HTTP_COOKIE"), limits.max_cookies, &r.cookies);
  if (e.failed()) return e;
  for (const auto& [key, value] : params) {
    if (key.compare(0, 5, "HTTP_") != 0) continue;
    if (hasControlBytes(value)) return bad("Malformed header.");
    std::string name;
    for (size_t i = 5; i < key.size(); ++i)
      name.push_back(key[i] == '_' ? '-' : static_cast<char>(tolower(static_cast<unsigned char>(key[i]))));
    r.headers.emplace(std::move(name), value);
  }
  r.remote_addr = get("REMOTE_ADDR");
  r.https = get("HTTPS") == "on";
  r.internal = get("GSP_LISTENER") == "internal";
  *out = std::move(r);
  return {};
}

}  // namespace gsp::web
