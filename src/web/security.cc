#include "web/security.h"

#include <algorithm>

#include "core/crypto.h"
#include "web/request_parser.h"

namespace gsp::web {

std::string newToken() { return crypto::toHex(crypto::randomBytes(32)); }

bool isWellFormedToken(const std::string& token) {
  return token.size() == 64 &&
         std::all_of(token.begin(), token.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string tokenHash(const std::string& token) { return crypto::toHex(crypto::sha256(token)); }

std::string csrfTokenFor(const std::string& session_token) {
  return crypto::toHex(crypto::hmacSha256(session_token, "gsp-csrf-v1"));
}

bool csrfTokenMatches(const std::string& session_token, const std::string& submitted) {
  if (session_token.empty() || submitted.empty()) return false;
  return crypto::constantTimeEquals(csrfTokenFor(session_token), submitted);
}

std::string safeNextPath(const std::string& next) {
  const std::string kHome = "/dashboard";
  if (next.empty() || next.size() > 1024 || next[0] != '/') return kHome;
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return kHome;
  // ASCII only: browsers percent-encode the rest, and a raw byte >= 0x80 comes
  // back from the sign-in's `next=` round trip as broken UTF-8 (found by fuzzing).
  for (unsigned char c : next) {
    if (c < 0x21 || c >= 0x7F || c == '\\') return kHome;
  }
  // Judged as the router will see it, decoded; and no dot segments, which the
  // browser would resolve: neither "/%61uth/login" nor "/x/../auth/login" leads
  // back into the sign-in flow.
  std::string path;
  if (!percentDecode(std::string_view(next).substr(0, next.find('?')), false, &path)) return kHome;
  for (size_t at = 0; at != std::string::npos; at = path.find('/', at + 1)) {
    const std::string segment = path.substr(at + 1, path.find('/', at + 1) - at - 1);
    if (segment == "." || segment == "..") return kHome;
  }
  if (path.compare(0, 5, "/auth") == 0) return kHome;
  return next;
}

bool normalizeEmail(const std::string& input, std::string* email) {
  size_t b = input.find_first_not_of(" \t");
  size_t e = input.find_last_not_of(" \t");
  if (b == std::string::npos) return false;
  std::string s = input.substr(b, e - b + 1);
  if (s.size() > 254) return false;
  size_t at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
  std::string domain = s.substr(at + 1);
  if (domain.size() < 3 || domain.find('.') == std::string::npos || domain.front() == '.' ||
      domain.back() == '.' || domain.find("..") != std::string::npos)
    return false;
  for (unsigned char c : s) {
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == ',' || c == ';') return false;
  }
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(tolower(c)); });
  *email = s;
  return true;
}

}  // namespace gsp::web
