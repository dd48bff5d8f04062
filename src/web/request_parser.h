// Turns the raw CGI parameters and body of a request into a Request, rejecting
// malformed or hostile input with the HTTP status to answer (400 or 413).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "web/request.h"

namespace gsp::web {

struct ParseLimits {
  size_t max_body_bytes = 65536;
  size_t max_fields = 200;         // query or form fields
  size_t max_cookies = 50;
  size_t max_target_bytes = 8192;  // path + query
};

struct ParseError {
  int status = 0;  // 0: no error; else 400 or 413
  std::string message;
  bool failed() const { return status != 0; }
};

// Percent-decodes `in`; '+' becomes a space when `plus_is_space` (form encoding).
// Rejects bad escapes, NUL and other control bytes, and invalid UTF-8.
bool percentDecode(std::string_view in, bool plus_is_space, std::string* out);

// Percent-encodes everything but unreserved characters (RFC 3986).
std::string percentEncode(std::string_view in);

// a=1&b=two+words. Empty pairs are skipped; the first of repeated keys wins.
ParseError parseUrlEncoded(std::string_view in, size_t max_fields, StringMap* out);

// "a=1; b=2". Pairs without a name are skipped (other sites on the same host
// may set odd cookies); control bytes make the whole header invalid.
ParseError parseCookies(std::string_view header, size_t max_cookies, StringMap* out);

// `params` are the CGI variables (REQUEST_METHOD, REQUEST_URI, QUERY_STRING,
// CONTENT_TYPE, HTTP_*, ...); `body` is the already-read body.
ParseError parseRequest(const StringMap& params, std::string body, const ParseLimits& limits,
                        Request* out);

}  // namespace gsp::web
