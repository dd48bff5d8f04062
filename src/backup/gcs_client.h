// Calls to Google Cloud Storage's JSON API with libcurl (gcs-json-api.md):
// each with the service account's access token (fetched with a signed JWT,
// cached, refreshed 5 minutes before it expires, fetched again once on a 401),
// and retried on 408, 429, 5xx and broken connections with exponential
// backoff and jitter, a bounded number of times. Nothing about the key or the
// token appears in a message. One per job; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "backup/gcs_credentials.h"
#include "core/status.h"

namespace gsp::backup {

struct GcsOptions {
  std::string endpoint = "https://storage.googleapis.com";  // a test double's http://127.0.0.1:PORT
  std::string bucket;
  std::string key_file;
  int max_attempts = 6;  // per call
  std::chrono::milliseconds first_backoff{500};
  std::chrono::milliseconds max_backoff{16000};
  std::chrono::seconds timeout{300};
};

struct GcsResponse {
  long status = 0;  // 0: no answer (the connection broke)
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names; repeated ones joined with ","
  std::string error;  // libcurl's reason when status is 0
};

class GcsClient {
 public:
  explicit GcsClient(GcsOptions options);

  // `url` is absolute (an upload session) or a path on the endpoint. With
  // `retry`, transient failures are tried again (the caller's call must be
  // safe to repeat); otherwise the first answer (or broken connection) is returned.
  Result<GcsResponse> call(const std::string& method, const std::string& url, const std::string& body,
                           const std::vector<std::string>& headers, bool retry);

  // Paths on the endpoint for `object` (percent-encoded as one segment).
  std::string objectPath(const std::string& object) const;
  std::string uploadPath(const std::string& object) const;
  const GcsOptions& options() const { return options_; }

  // The wait before try `attempt` (2, 3, ...): doubling from first_backoff, with jitter, at most max_backoff.
  std::chrono::milliseconds backoff(int attempt) const;

 private:
  Result<std::string> token();
  GcsResponse send(const std::string& method, const std::string& url, const std::string& body,
                   const std::vector<std::string>& headers, const std::string& bearer);

  const GcsOptions options_;
  std::string token_;
  int64_t token_expires_ = 0;  // unix seconds
};

bool isRetryable(const GcsResponse& r);  // 408, 429, 5xx, or no answer

}  // namespace gsp::backup
