// An HTTP response as handlers build it, and its CGI serialisation for FastCGI.
// A plain value.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace gsp::web {

struct Cookie {
  std::string name;
  std::string value;
  int max_age_seconds = -1;  // -1: session cookie; 0: delete
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::vector<Cookie> cookies;
  std::string body;

  static Response html(int status, std::string body);
  static Response json(int status, std::string body);
  // 303 See Other: the browser follows with a GET (post/redirect/get).
  static Response redirect(const std::string& location);

  void addHeader(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

const char* reasonPhrase(int status);

// "Status: 200 OK\r\nContent-Type: ...\r\n\r\n<body>". CR and LF are removed
// from header values so no handler can split the response.
std::string serialize(const Response& response);

// The Set-Cookie value; a secure cookie is named with the "__Host-" prefix.
std::string formatSetCookie(const Cookie& cookie);

}  // namespace gsp::web
