// V4 signed URLs for reading one Cloud Storage object: what the owner's
// browser downloads a backup from, for a short while, without any token of
// ours. The agent signs them with the service account's key; the web tier
// only hands them out. The algorithm is Google's "V4 signing process"
// (GOOG4-RSA-SHA256 over a canonical request, UNSIGNED-PAYLOAD). Pure;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "backup/gcs_credentials.h"
#include "core/status.h"

namespace gsp::backup {

struct SignedReadRequest {
  std::string endpoint;  // "https://storage.googleapis.com", or a test double's http://127.0.0.1:PORT
  std::string bucket;
  std::string object;               // the full object name, prefix included
  std::string download_name;        // the file name the browser saves it as
  int64_t now = 0;                  // unix seconds: when the URL starts to be valid
  int64_t expires_seconds = 900;    // 1 to 604800 (a week)
};

// The URL, or kInvalid when the endpoint or the figures cannot be used.
Result<std::string> signedReadUrl(const ServiceAccount& account, const SignedReadRequest& request);

// RFC 3986 percent-encoding of all but the unreserved characters; with
// `keep_slash`, '/' stays as it is (an object name in a path).
std::string uriEncode(const std::string& text, bool keep_slash);

}  // namespace gsp::backup
