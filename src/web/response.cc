#include "web/response.h"

namespace gsp::web {

namespace {
std::string headerSafe(const std::string& v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c != '\r' && c != '\n' && c != '\0') out.push_back(c);
  }
  return out;
}
}  // namespace

Response Response::html(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

Response Response::redirect(const std::string& location) {
  Response r;
  r.status = 303;
  r.addHeader("Location", location);
  return r;
}

const char* reasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 302: return "Found";
    case 303: return "See Other";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

std::string formatSetCookie(const Cookie& c) {
  // A secure cookie gets the "__Host-" prefix: browsers then insist on Secure,
  // Path=/ and no Domain, so no other host can set it (Request::cookie reads that form).
  std::string out = (c.secure ? "__Host-" : "") + headerSafe(c.name) + "=" + headerSafe(c.value) + "; Path=/";
  if (c.max_age_seconds >= 0) out += "; Max-Age=" + std::to_string(c.max_age_seconds);
  if (c.http_only) out += "; HttpOnly";
  if (c.secure) out += "; Secure";
  if (!c.same_site.empty()) out += "; SameSite=" + c.same_site;
  return out;
}

std::string serialize(const Response& r) {
  std::string out;
  out.reserve(r.body.size() + 256);
  out += "Status: " + std::to_string(r.status) + " " + reasonPhrase(r.status) + "\r\n";
  out += "Content-Type: " + headerSafe(r.content_type) + "\r\n";
  // Known up front, so nginx passes the body on as it is rather than chunked.
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  for (const auto& [name, value] : r.headers) out += headerSafe(name) + ": " + headerSafe(value) + "\r\n";
  for (const auto& c : r.cookies) out += "Set-Cookie: " + formatSetCookie(c) + "\r\n";
  out += "\r\n";
  out += r.body;
  return out;
}

}  // namespace gsp::web
