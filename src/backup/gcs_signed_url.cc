#include "backup/gcs_signed_url.h"

#include <cstdio>
#include <ctime>
#include <map>

#include "core/crypto.h"

namespace gsp::backup {

namespace {

const char kAlgorithm[] = "GOOG4-RSA-SHA256";

// "http://127.0.0.1:9000" -> origin "http://127.0.0.1:9000", host name
// "127.0.0.1". The port is not signed, as Google's own client libraries sign
// it. An endpoint with a path is refused: the path would not be signed.
bool splitEndpoint(const std::string& endpoint, std::string* origin, std::string* host) {
  size_t scheme = endpoint.find("://");
  if (scheme == std::string::npos) return false;
  size_t slash = endpoint.find('/', scheme + 3);
  if (slash != std::string::npos && slash + 1 != endpoint.size()) return false;
  *origin = endpoint.substr(0, slash);
  std::string authority = origin->substr(scheme + 3);
  if (authority.empty() || authority[0] == '[') return false;  // no IPv6 literals here
  *host = authority.substr(0, authority.find(':'));
  return !host->empty();
}

std::string utcText(int64_t unix_seconds, const char* format) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm_utc;
  gmtime_r(&t, &tm_utc);
  char text[32];
  strftime(text, sizeof text, format, &tm_utc);
  return text;
}

}  // namespace

std::string uriEncode(const std::string& text, bool keep_slash) {
  std::string out;
  for (unsigned char c : text) {
    if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      snprintf(hex, sizeof hex, "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

Result<std::string> signedReadUrl(const ServiceAccount& account, const SignedReadRequest& r) {
  std::string origin, host;
  if (!splitEndpoint(r.endpoint, &origin, &host))
    return Status::invalid("the Cloud Storage endpoint is not a URL of the form scheme://host[:port]");
  if (r.expires_seconds < 1 || r.expires_seconds > 604800)
    return Status::invalid("a signed URL lasts from a second to a week");
  if (r.bucket.empty() || r.object.empty()) return Status::invalid("a signed URL needs a bucket and an object");

  const std::string date = utcText(r.now, "%Y%m%d");
  const std::string stamp = utcText(r.now, "%Y%m%dT%H%M%SZ");
  const std::string scope = date + "/auto/storage/goog4_request";
  // Sorted by name, as the canonical query must be.
  std::map<std::string, std::string> query = {
      {"X-Goog-Algorithm", kAlgorithm},
      {"X-Goog-Credential", account.client_email + "/" + scope},
      {"X-Goog-Date", stamp},
      {"X-Goog-Expires", std::to_string(r.expires_seconds)},
      {"X-Goog-SignedHeaders", "host"},
  };
  if (!r.download_name.empty())
    query["response-content-disposition"] = "attachment; filename=\"" + r.download_name + "\"";
  std::string canonical_query;
  for (const auto& [name, value] : query)
    canonical_query += (canonical_query.empty() ? "" : "&") + uriEncode(name, false) + "=" + uriEncode(value, false);

  const std::string path = "/" + uriEncode(r.bucket, false) + "/" + uriEncode(r.object, true);
  const std::string canonical_request =
      "GET\n" + path + "\n" + canonical_query + "\nhost:" + host + "\n\nhost\nUNSIGNED-PAYLOAD";
  const std::string to_sign = std::string(kAlgorithm) + "\n" + stamp + "\n" + scope + "\n" +
                              crypto::toHex(crypto::sha256(canonical_request));
  Result<std::string> signature = rsaSha256Signature(account, to_sign);
  if (!signature.isOk()) return signature.status();

  return origin + path + "?" + canonical_query + "&X-Goog-Signature=" + crypto::toHex(signature.value());
}

}  // namespace gsp::backup
