// One parsed HTTP request as the handlers see it: decoded path, query, form,
// cookies and headers. Knows nothing of FastCGI. A plain value.
#pragma once

#include <map>
#include <string>

namespace gsp::web {

using StringMap = std::map<std::string, std::string>;

struct Request {
  std::string method;      // "GET", "POST", ...
  std::string path;        // percent-decoded, always starts with '/'
  std::string raw_target;  // path and query exactly as sent (for "come back after login")
  StringMap query;
  StringMap form;          // application/x-www-form-urlencoded bodies only
  StringMap cookies;
  StringMap headers;       // lower-case names, e.g. "user-agent"
  StringMap path_params;   // filled by the router, e.g. {"id": "42"}
  std::string body;        // raw body, e.g. for signed webhooks
  std::string remote_addr;
  bool https = false;      // served over TLS (nginx's $https)
  bool internal = false;   // arrived on the internal webhook listener

  // Empty string when absent.
  const std::string& queryValue(const std::string& key) const { return lookup(query, key); }
  const std::string& formValue(const std::string& key) const { return lookup(form, key); }
  // Under TLS only the "__Host-" form of a cookie counts (formatSetCookie
  // sets that form): a sibling subdomain cannot plant or overwrite it.
  const std::string& cookie(const std::string& key) const {
    return https ? lookup(cookies, "__Host-" + key) : lookup(cookies, key);
  }
  const std::string& header(const std::string& key) const { return lookup(headers, key); }
  const std::string& pathParam(const std::string& key) const { return lookup(path_params, key); }

 private:
  static const std::string& lookup(const StringMap& m, const std::string& key) {
    static const std::string kEmpty;
    auto it = m.find(key);
    return it == m.end() ? kEmpty : it->second;
  }
};

}  // namespace gsp::web
