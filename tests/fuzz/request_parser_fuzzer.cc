// libFuzzer target: the request parser behind gsp-web's FastCGI loop
// (src/web/request_parser.h), fed what nginx writes to the socket: FastCGI
// records (BEGIN_REQUEST, PARAMS name-value pairs, STDIN). The records are
// taken apart here as libfcgi and fcgi_server.cc do (name=value strings cut at
// a NUL, the first of repeated names wins, CONTENT_LENGTH bytes of STDIN);
// libfcgi itself reads from a socket and is not part of the target.
// Properties, beyond "no crash, no sanitizer report", with the production
// limits and with small ones so that every bound is reachable:
//   - an accepted request is within the limits: method 1-16 capitals, target
//     starting with '/' and at most max_target_bytes, body at most
//     max_body_bytes, at most max_fields query and form pairs, max_cookies
//     cookies; a refused one answers 400, 413 (body) or 414 (target);
//   - path, query, form and cookies are exactly what a plain reference reading
//     of the raw bytes gives (split, first '=', percent-decode, first key
//     wins): no decoded byte the input's decoding did not hold, never more
//     pairs than separators + 1, no empty names;
//   - every decoded name and value is strict UTF-8 without control bytes but
//     tab, CR and LF, and round-trips through percentEncode/percentDecode;
//     percentEncode's output passes through a Cookie header unchanged (the
//     flash message travels that way);
//   - a request the reference finds well-formed and within the limits is
//     accepted (no over-rejection);
//   - headers: one per HTTP_* name, lower-case with '-', values without
//     control bytes; https and internal only from HTTPS=on and
//     GSP_LISTENER=internal.
// The parser's pieces (percentDecode, parseUrlEncoded, parseCookies) get the
// same checks on every parameter value and on the body.
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/request_parser.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "web/request_parser.h"

using namespace gsp::web;

namespace {

void check(bool ok) {
  if (!ok) abort();
}

// ---- the reference reading: plain, written apart from the parser ----

// Strict UTF-8 by the RFC 3629 table of well-formed byte sequences.
bool refUtf8(std::string_view s) {
  size_t i = 0;
  auto cont = [&](size_t k, unsigned lo, unsigned hi) {
    if (i + k >= s.size()) return false;
    unsigned c = static_cast<unsigned char>(s[i + k]);
    return c >= lo && c <= hi;
  };
  while (i < s.size()) {
    unsigned c = static_cast<unsigned char>(s[i]);
    size_t n;
    if (c <= 0x7F) n = 1;
    else if (c >= 0xC2 && c <= 0xDF) n = cont(1, 0x80, 0xBF) ? 2 : 0;
    else if (c == 0xE0) n = cont(1, 0xA0, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
    else if (c == 0xED) n = cont(1, 0x80, 0x9F) && cont(2, 0x80, 0xBF) ? 3 : 0;
    else if (c >= 0xE1 && c <= 0xEF) n = cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) ? 3 : 0;
    else if (c == 0xF0) n = cont(1, 0x90, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    else if (c >= 0xF1 && c <= 0xF3) n = cont(1, 0x80, 0xBF) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    else if (c == 0xF4) n = cont(1, 0x80, 0x8F) && cont(2, 0x80, 0xBF) && cont(3, 0x80, 0xBF) ? 4 : 0;
    else n = 0;
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// What percentDecode documents it lets through.
bool decodedAllowed(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return false;
  }
  return refUtf8(s);
}

bool controlInHeader(std::string_view s) {
  for (unsigned char c : s) {
    if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
  }
  return false;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(c | 0x20);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// The decoding of `in` and whether the parser should take it.
std::optional<std::string> refDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (in.size() - i < 3 || hexValue(in[i + 1]) < 0 || hexValue(in[i + 2]) < 0) return std::nullopt;
      out += static_cast<char>(hexValue(in[i + 1]) * 16 + hexValue(in[i + 2]));
      i += 2;
    } else {
      out += plus_is_space && in[i] == '+' ? ' ' : in[i];
    }
  }
  if (!decodedAllowed(out)) return std::nullopt;
  return out;
}

struct RefPairs {
  bool well_formed = true;
  size_t counted = 0;     // pairs the limit applies to
  size_t separators = 0;  // '&' or ';'
  StringMap map;
};

RefPairs refUrlEncoded(std::string_view in) {
  RefPairs r;
  std::string piece;
  auto flush = [&] {
    if (piece.empty()) return;
    ++r.counted;
    size_t eq = piece.find('=');
    std::optional<std::string> key = refDecode(std::string_view(piece).substr(0, eq), true);
    std::optional<std::string> value =
        eq == std::string::npos ? std::optional<std::string>("") : refDecode(std::string_view(piece).substr(eq + 1), true);
    if (!key || !value) r.well_formed = false;
    else if (!key->empty()) r.map.emplace(*key, *value);
    piece.clear();
  };
  for (char c : in) {
    if (c == '&') {
      ++r.separators;
      flush();
    } else {
      piece += c;
    }
  }
  flush();
  return r;
}

RefPairs refCookies(std::string_view header) {
  RefPairs r;
  r.well_formed = !controlInHeader(header);
  size_t start = 0;
  for (size_t i = 0; i <= header.size(); ++i) {
    if (i < header.size() && header[i] != ';') continue;
    if (i < header.size()) ++r.separators;
    std::string_view piece = header.substr(start, i - start);
    start = i + 1;
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    size_t eq = piece.find('=');
    if (piece.empty() || eq == 0 || eq == std::string_view::npos) continue;
    ++r.counted;
    std::string_view value = piece.substr(eq + 1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    r.map.emplace(std::string(piece.substr(0, eq)), std::string(value));
  }
  return r;
}

// ---- checks shared by the pieces and the whole request ----

void checkDecodedText(const std::string& s) {
  check(decodedAllowed(s));
  const std::string encoded = percentEncode(s);
  for (char c : encoded) {
    check(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~' || c == '%');
  }
  std::string back;
  check(percentDecode(encoded, true, &back) && back == s);
  check(percentDecode(encoded, false, &back) && back == s);
  StringMap cookie;
  check(!parseCookies("gsp_flash=" + encoded, 1, &cookie).failed());
  check(cookie.size() == 1 && cookie.begin()->second == encoded);
}

void checkPairs(const StringMap& map, const RefPairs& ref) {
  check(map == ref.map);
  check(map.size() <= ref.separators + 1);
  for (const auto& [key, value] : map) {
    check(!key.empty());
    checkDecodedText(key);
    checkDecodedText(value);
  }
}

void checkPercentDecode(std::string_view in) {
  for (bool plus : {false, true}) {
    std::string out;
    bool ok = percentDecode(in, plus, &out);
    std::optional<std::string> ref = refDecode(in, plus);
    check(ok == ref.has_value());
    if (ok) {
      check(out == *ref);
      checkDecodedText(out);
    }
  }
}

void checkUrlEncoded(std::string_view in, size_t max_fields) {
  StringMap map;
  ParseError e = parseUrlEncoded(in, max_fields, &map);
  RefPairs ref = refUrlEncoded(in);
  if (!e.failed()) {
    check(ref.well_formed && ref.counted <= max_fields);
    checkPairs(map, ref);
  } else {
    check(e.status == 400 && !e.message.empty());
    check(!ref.well_formed || ref.counted > max_fields);
  }
}

void checkCookies(std::string_view in, size_t max_cookies) {
  StringMap map;
  ParseError e = parseCookies(in, max_cookies, &map);
  RefPairs ref = refCookies(in);
  if (!e.failed()) {
    check(ref.well_formed && ref.counted <= max_cookies);
    check(map == ref.map && map.size() <= ref.separators + 1);
    for (const auto& [name, value] : map) check(!name.empty() && !controlInHeader(name) && !controlInHeader(value));
  } else {
    check(e.status == 400 && !e.message.empty());
    check(!ref.well_formed || ref.counted > max_cookies);
  }
}

// ---- FastCGI, as libfcgi and fcgi_server.cc read it ----

constexpr uint8_t kBeginRequest = 1, kParams = 4, kStdin = 5;
constexpr uint16_t kResponder = 1;

struct FcgiRequest {
  StringMap params;
  std::string stdin_bytes;
};

bool readLength(std::string_view s, size_t* pos, size_t* len) {
  if (*pos >= s.size()) return false;
  unsigned char b0 = static_cast<unsigned char>(s[*pos]);
  if (!(b0 & 0x80)) {
    *len = b0;
    *pos += 1;
    return true;
  }
  if (s.size() - *pos < 4) return false;
  *len = (static_cast<size_t>(b0 & 0x7F) << 24) | (static_cast<size_t>(static_cast<unsigned char>(s[*pos + 1])) << 16) |
         (static_cast<size_t>(static_cast<unsigned char>(s[*pos + 2])) << 8) | static_cast<unsigned char>(s[*pos + 3]);
  *pos += 4;
  return true;
}

// False when libfcgi would refuse the connection (FCGX_Accept_r < 0).
bool readFcgi(std::string_view in, FcgiRequest* out) {
  size_t pos = 0;
  bool begun = false, params_done = false, stdin_done = false;
  unsigned id = 0;
  std::string params;
  while (in.size() - pos >= 8) {
    const unsigned char* h = reinterpret_cast<const unsigned char*>(in.data() + pos);
    const unsigned rid = (h[2] << 8) | h[3];
    const size_t clen = (h[4] << 8) | h[5], plen = h[6];
    if (in.size() - pos - 8 < clen + plen) break;  // a cut record: the rest never comes
    std::string_view content = in.substr(pos + 8, clen);
    pos += 8 + clen + plen;
    if (h[0] != 1) return false;
    if (!begun) {
      if (h[1] != kBeginRequest || clen < 8 || rid == 0) return false;
      if (((static_cast<unsigned char>(content[0]) << 8) | static_cast<unsigned char>(content[1])) != kResponder)
        return false;
      begun = true;
      id = rid;
      continue;
    }
    if (rid != id) continue;  // management records and other requests: not ours
    if (h[1] == kParams && !params_done) {
      if (clen == 0) params_done = true;
      else params.append(content);
    } else if (h[1] == kStdin && params_done && !stdin_done) {
      if (clen == 0) stdin_done = true;
      else out->stdin_bytes.append(content);
    }
  }
  if (!params_done) return false;
  size_t p = 0;
  while (p < params.size()) {
    size_t nlen, vlen;
    if (!readLength(params, &p, &nlen) || !readLength(params, &p, &vlen)) return false;
    if (params.size() - p < nlen || params.size() - p - nlen < vlen) return false;
    // libfcgi keeps "name=value" as a C string; cgiParams() splits it at the first '='.
    std::string line = params.substr(p, nlen) + "=" + params.substr(p + nlen, vlen);
    p += nlen + vlen;
    line.resize(std::min(line.size(), line.find('\0')));
    size_t eq = line.find('=');
    if (eq != std::string::npos) out->params.emplace(line.substr(0, eq), line.substr(eq + 1));
  }
  return true;
}

// fcgi_server.cc's readBody: 0, or the status answered before parsing.
int readBody(const FcgiRequest& req, size_t max_bytes, std::string* body) {
  auto it = req.params.find("CONTENT_LENGTH");
  if (it == req.params.end() || it->second.empty()) return 0;
  const std::string& text = it->second;
  if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return 400;
  const uint64_t length = std::stoull(text);
  if (length > max_bytes) return 413;
  if (req.stdin_bytes.size() < length) return 400;
  *body = req.stdin_bytes.substr(0, length);
  return 0;
}

const std::string& param(const StringMap& params, const char* key) {
  static const std::string kEmpty;
  auto it = params.find(key);
  return it == params.end() ? kEmpty : it->second;
}

void checkRequest(const StringMap& params, const std::string& body, const ParseLimits& limits) {
  Request r;
  ParseError e = parseRequest(params, body, limits, &r);

  const std::string& method = param(params, "REQUEST_METHOD");
  const std::string& target = param(params, "REQUEST_URI");
  const size_t q = target.find('?');
  const std::string_view raw_path = std::string_view(target).substr(0, q);
  const std::string_view raw_query = q == std::string::npos ? std::string_view() : std::string_view(target).substr(q + 1);
  std::string content_type = param(params, "CONTENT_TYPE");
  for (char& c : content_type) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  const bool is_form = content_type.rfind("application/x-www-form-urlencoded", 0) == 0;

  std::optional<std::string> ref_path = refDecode(raw_path, false);
  RefPairs ref_query = refUrlEncoded(raw_query);
  RefPairs ref_form = is_form ? refUrlEncoded(body) : RefPairs();
  RefPairs ref_cookies = refCookies(param(params, "HTTP_COOKIE"));
  StringMap ref_headers;
  bool headers_clean = true;
  for (const auto& [key, value] : params) {
    if (key.rfind("HTTP_", 0) != 0) continue;
    headers_clean = headers_clean && !controlInHeader(value);
    std::string name;
    for (size_t i = 5; i < key.size(); ++i)
      name += key[i] == '_' ? '-' : static_cast<char>(tolower(static_cast<unsigned char>(key[i])));
    ref_headers.emplace(name, value);
  }
  bool method_ok = !method.empty() && method.size() <= 16;
  for (char c : method) method_ok = method_ok && c >= 'A' && c <= 'Z';
  const bool well_formed = method_ok && !target.empty() && target[0] == '/' &&
                           target.size() <= limits.max_target_bytes && ref_path && ref_query.well_formed &&
                           ref_query.counted <= limits.max_fields && body.size() <= limits.max_body_bytes &&
                           ref_form.well_formed && ref_form.counted <= limits.max_fields &&
                           ref_cookies.well_formed && ref_cookies.counted <= limits.max_cookies && headers_clean;

  if (e.failed()) {
    check(!well_formed);
    check(!e.message.empty());
    check(e.status == 400 || e.status == 413 || e.status == 414);
    if (e.status == 413) check(body.size() > limits.max_body_bytes);
    if (e.status == 414) check(target.size() > limits.max_target_bytes);
    return;
  }
  check(well_formed);
  check(r.method == method);
  check(r.raw_target == target && r.path == *ref_path && !r.path.empty() && r.path[0] == '/');
  checkDecodedText(r.path);
  checkPairs(r.query, ref_query);
  check(r.query.size() <= limits.max_fields);
  checkPairs(r.form, ref_form);
  check(r.form.size() <= limits.max_fields);
  check(r.cookies == ref_cookies.map && r.cookies.size() <= limits.max_cookies);
  check(r.cookies.size() <= ref_cookies.separators + 1);
  for (const auto& [name, value] : r.cookies) check(!name.empty());
  check(r.headers == ref_headers);
  for (const auto& [name, value] : r.headers) {
    for (char c : name) check(c != '_' && !(c >= 'A' && c <= 'Z'));
    check(!controlInHeader(value));
  }
  check(r.body == body && r.body.size() <= limits.max_body_bytes);
  check(r.path_params.empty());
  check(r.https == (param(params, "HTTPS") == "on"));
  check(r.internal == (param(params, "GSP_LISTENER") == "internal"));
  check(r.remote_addr == param(params, "REMOTE_ADDR"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ParseLimits production;
  ParseLimits small;
  small.max_body_bytes = 64;
  small.max_fields = 4;
  small.max_cookies = 3;
  small.max_target_bytes = 64;

  FcgiRequest req;
  if (!readFcgi(bytes, &req)) {
    // Not a request libfcgi would hand over: still exercise the pieces.
    checkPercentDecode(bytes);
    checkUrlEncoded(bytes, small.max_fields);
    checkCookies(bytes, small.max_cookies);
    return 0;
  }
  for (const ParseLimits& limits : {production, small}) {
    std::string body;
    if (readBody(req, limits.max_body_bytes, &body) == 0) checkRequest(req.params, body, limits);
  }
  // The parser's own body bound (413), whatever CONTENT_LENGTH said.
  checkRequest(req.params, req.stdin_bytes, small);

  for (const auto& [key, value] : req.params) {
    checkPercentDecode(value);
    checkUrlEncoded(value, small.max_fields);
    checkCookies(value, small.max_cookies);
  }
  checkPercentDecode(req.stdin_bytes);
  checkUrlEncoded(req.stdin_bytes, production.max_fields);
  checkUrlEncoded(req.stdin_bytes, small.max_fields);
  return 0;
}
