// A small browser-like HTTP client for the integration tests: libcurl, no
// redirects followed, a cookie jar that honours Max-Age=0. One per thread.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace gsp::test {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
  std::vector<std::string> set_cookies;                      // raw Set-Cookie values
  std::string header(const std::string& lower_name) const;
  std::string setCookie(const std::string& name) const;      // the raw Set-Cookie for `name`, or ""
};

class HttpClient {
 public:
  // `unix_socket`: talk HTTP over this unix socket instead of TCP (nginx's
  // internal webhook listener); the host in `base_url` is then only a name.
  explicit HttpClient(std::string base_url, std::string unix_socket = "");
  HttpResponse get(const std::string& path);
  HttpResponse post(const std::string& path, const std::string& form_body);
  HttpResponse request(const std::string& method, const std::string& path, const std::string& body,
                       const std::string& content_type, const std::vector<std::string>& extra_headers = {});

  std::string cookie(const std::string& name) const;
  void setCookie(const std::string& name, const std::string& value) { jar_[name] = value; }
  void clearCookies() { jar_.clear(); }

 private:
  std::string base_;
  std::string unix_socket_;
  std::map<std::string, std::string> jar_;
};

// The value of the first hidden input named `name` in an HTML page.
std::string formField(const std::string& html, const std::string& name);
std::string urlEncode(const std::string& s);

}  // namespace gsp::test
