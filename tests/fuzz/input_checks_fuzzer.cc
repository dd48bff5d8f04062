// libFuzzer target: the checks gsp-web runs on single values a visitor types
// or links to: the deposit amount (src/core/money.h), the sign-in e-mail and
// the "come back after login" path (src/web/security.h), and the router's
// path parameters (src/web/router.h, with the route patterns of routes.cc).
// Properties, beyond "no crash, no sanitizer report":
//   - parseWholeAmount accepts exactly a trimmed run of at most 12 digits
//     worth 1 to max_cents/100 credits, and gives that many credits in
//     cents, in (0, max_cents]; the amount printed back (digits, or what
//     money::format shows without "$", "," and ".00") parses to the same;
//   - money::format of any cents is -?$d{1,3}(,ddd)*.dd and reads back to them;
//   - safeNextPath gives its input or "/dashboard"; an accepted path starts
//     with one '/', never "//" or "/\", holds no backslash, space, CR, LF or
//     other control byte, is at most 1024 bytes and is not under /auth; it
//     survives the login redirect: percent-encoded into /auth/login?next=,
//     that request parses and gives the same next path back (for paths in
//     ASCII, which is what browsers send: see checkRedirectOf);
//   - normalizeEmail accepts only what security.h documents (one '@', a
//     non-empty local part, a dotted domain, no space, control or <>",;
//     bytes, at most 254 bytes) and gives it trimmed and lower-cased, a
//     fixed point of itself;
//   - a route found has its {name:int} parameters as 1-18 digits that
//     std::stoll reads (the handlers call it unguarded), and HEAD finds what
//     GET finds.
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/input_checks.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/money.h"
#include "web/request_parser.h"
#include "web/router.h"
#include "web/security.h"

using namespace gsp;
using namespace gsp::web;

namespace {

void check(bool ok) {
  if (!ok) abort();
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// ---- money ----

void checkFormat(int64_t cents) {
  const std::string text = money::format(cents);
  size_t i = 0;
  const bool negative = cents < 0;
  if (negative) check(text.compare(i++, 1, "-") == 0);
  check(text.compare(i++, 1, "$") == 0);
  // Groups of digits: the first 1-3, then ",ddd"; then ".dd".
  uint64_t whole = 0;
  size_t group = 0, groups = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    if (text[i] == ',') {
      check(groups == 0 ? group >= 1 && group <= 3 : group == 3);
      group = 0;
      ++groups;
      continue;
    }
    check(isDigit(text[i]));
    whole = whole * 10 + static_cast<uint64_t>(text[i] - '0');
    ++group;
  }
  check(groups == 0 ? group >= 1 && group <= 3 : group == 3);
  check(i + 3 == text.size() && isDigit(text[i + 1]) && isDigit(text[i + 2]));
  const uint64_t frac = static_cast<uint64_t>((text[i + 1] - '0') * 10 + (text[i + 2] - '0'));
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  check(whole * 100 + frac == magnitude);
}

void checkAmount(const std::string& text, int64_t max_cents) {
  Result<int64_t> r = money::parseWholeAmount(text, max_cents);
  const std::string digits = trimmed(text);
  bool well_formed = !digits.empty() && digits.size() <= 12;
  for (char c : digits) well_formed = well_formed && isDigit(c);
  const int64_t credits = well_formed ? std::stoll(digits) : 0;
  const bool acceptable = well_formed && credits >= 1 && credits <= max_cents / 100;
  check(r.isOk() == acceptable);
  if (!r.isOk()) {
    check(r.status().code() == Status::Code::kInvalid && !r.status().message().empty());
    return;
  }
  const int64_t cents = r.value();
  check(cents > 0 && cents <= max_cents && cents == credits * 100);
  // Printed back and read again.
  Result<int64_t> again = money::parseWholeAmount(" " + std::to_string(cents / 100) + "\t", max_cents);
  check(again.isOk() && again.value() == cents);
  std::string shown = money::format(cents);  // "$1,234.00"
  check(shown.size() > 4 && shown.compare(shown.size() - 3, 3, ".00") == 0);
  std::string plain;
  for (char c : shown.substr(0, shown.size() - 3)) {
    if (c != '$' && c != ',') plain += c;
  }
  again = money::parseWholeAmount(plain, max_cents);
  check(again.isOk() && again.value() == cents);
}

// ---- the next path and the login redirect ----

void checkNextPath(const std::string& next) {
  const std::string got = safeNextPath(next);
  check(got == next || got == "/dashboard");
  check(safeNextPath(got) == got);
  if (got != next) return;
  check(!got.empty() && got.size() <= 1024 && got[0] == '/');
  check(got.size() < 2 || (got[1] != '/' && got[1] != '\\'));
  for (unsigned char c : got) check(c > 0x20 && c != 0x7F && c != '\\');
  check(got.compare(0, 5, "/auth") != 0);

  // App::route sends a visitor who must sign in to /auth/login?next=<encoded>;
  // the login page reads it back with the same checks.
  StringMap params{{"REQUEST_METHOD", "GET"}, {"REQUEST_URI", "/auth/login?next=" + percentEncode(got)}};
  Request login;
  ParseError e = parseRequest(params, "", ParseLimits(), &login);
  if (e.failed()) {
    // Only a path that is not UTF-8 text can fail here; browsers send
    // everything past ASCII percent-encoded.
    bool ascii = true;
    for (unsigned char c : got) ascii = ascii && c < 0x80;
    check(!ascii);
    return;
  }
  check(safeNextPath(login.queryValue("next")) == got);
}

// The redirect as App::route makes it: from the raw target of a GET that parsed.
void checkRedirectOf(const std::string& target) {
  Request r;
  if (parseRequest({{"REQUEST_METHOD", "GET"}, {"REQUEST_URI", target}}, "", ParseLimits(), &r).failed()) return;
  const std::string next = safeNextPath(r.raw_target);
  Request login;
  StringMap params{{"REQUEST_METHOD", "GET"}, {"REQUEST_URI", "/auth/login?next=" + percentEncode(next)}};
  if (parseRequest(params, "", ParseLimits(), &login).failed()) {
    // Known and reported, not asserted: a raw non-ASCII byte next to an
    // escape ("/servers/\xC3%A9") is UTF-8 once decoded, but not after
    // percentEncode has escaped the '%', so such a visitor gets a 400 from
    // the login page. Browsers send no raw bytes past ASCII.
    bool ascii = true;
    for (unsigned char c : next) ascii = ascii && c < 0x80;
    check(!ascii);
    return;
  }
  check(safeNextPath(login.queryValue("next")) == next);
}

// ---- e-mail ----

void checkEmail(const std::string& input) {
  std::string email = "unset";
  if (!normalizeEmail(input, &email)) return;
  check(email.size() <= 254 && !email.empty());
  const size_t at = email.find('@');
  check(at != std::string::npos && at > 0 && email.find('@', at + 1) == std::string::npos);
  const std::string domain = email.substr(at + 1);
  check(domain.size() >= 3 && domain.find('.') != std::string::npos && domain.front() != '.' &&
        domain.back() != '.' && domain.find("..") == std::string::npos);
  for (unsigned char c : email) {
    check(c > 0x20 && c != 0x7F && c != '<' && c != '>' && c != '"' && c != ',' && c != ';');
    check(!(c >= 'A' && c <= 'Z'));
  }
  std::string lowered = trimmed(input);
  for (char& c : lowered) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  check(email == lowered);
  std::string again;
  check(normalizeEmail(email, &again) && again == email);
}

// ---- routes ----

const Router& router() {
  static const Router r = [] {
    Router r;
    const char* const kRoutes[][2] = {
        {"GET", "/"}, {"GET", "/healthz"}, {"GET", "/auth/login"}, {"GET", "/auth/mock/{provider}"},
        {"POST", "/auth/mock-login"}, {"POST", "/auth/logout"}, {"GET", "/dashboard"}, {"GET", "/dashboard/states"},
        {"GET", "/servers/create"}, {"POST", "/servers/create"}, {"GET", "/servers/{id:int}"},
        {"GET", "/servers/{id:int}/status"}, {"GET", "/servers/{id:int}/logs"}, {"GET", "/servers/{id:int}/charts"},
        {"POST", "/servers/{id:int}/wake"}, {"POST", "/servers/{id:int}/hibernate"},
        {"POST", "/servers/{id:int}/keep-awake"}, {"POST", "/servers/{id:int}/delete"},
        {"POST", "/servers/{id:int}/backups"}, {"POST", "/servers/{id:int}/backup-schedule"},
        {"POST", "/servers/{id:int}/backups/{bid:int}/restore"}, {"POST", "/servers/{id:int}/backups/{bid:int}/lock"},
        {"POST", "/servers/{id:int}/backups/{bid:int}/unlock"},
        {"POST", "/servers/{id:int}/backups/{bid:int}/delete"},
        {"GET", "/servers/{id:int}/backups/{bid:int}/download"}, {"POST", "/api/webhook/wake"},
        {"POST", "/api/webhook/activity"}, {"GET", "/billing"}, {"POST", "/billing/add-funds"},
    };
    int id = 0;
    for (const auto& route : kRoutes) r.add(route[0], route[1], id++);
    return r;
  }();
  return r;
}

void checkRoute(const std::string& method, const std::string& path) {
  RouteMatch m = router().match(method, path);
  if (m.kind == RouteMatch::Kind::kMethodNotAllowed) check(!m.allow.empty() && m.params.empty());
  if (m.kind != RouteMatch::Kind::kFound) return;
  check(!path.empty() && path[0] == '/' && m.id >= 0);
  for (const auto& [name, value] : m.params) {
    check(!value.empty() && value.find('/') == std::string::npos);
    if (name == "id" || name == "bid") {
      check(value.size() <= 18);
      for (char c : value) check(isDigit(c));
      check(std::stoll(value) >= 0);  // throws (and fails here) when out of range
    }
  }
  if (method == "GET") {
    RouteMatch head = router().match("HEAD", path);
    check(head.kind == m.kind && head.id == m.id && head.params == m.params);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const int64_t max_cents = in.ConsumeIntegralInRange<int64_t>(100, 100000000);  // config.cc's range
  const int64_t cents = in.ConsumeIntegral<int64_t>();
  const std::string method = in.PickValueInArray({"GET", "POST", "HEAD", "PUT"});
  const std::string text = in.ConsumeRemainingBytesAsString();

  checkFormat(cents);
  checkAmount(text, max_cents);
  checkNextPath(text);
  checkRedirectOf(text);
  checkEmail(text);
  checkRoute(method, text);
  // As a form field would hold it: the decoded value.
  std::string decoded;
  if (percentDecode(text, true, &decoded) && decoded != text) {
    checkAmount(decoded, max_cents);
    checkNextPath(decoded);
    checkEmail(decoded);
    checkRoute(method, decoded);
  }
  return 0;
}
