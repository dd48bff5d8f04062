// A Google service account for Cloud Storage: its key file (JSON), and the
// RS256-signed JWT that is exchanged for an access token (gcs-json-api.md,
// section 1). Key material never appears in a message. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace gsp::backup {

struct ServiceAccount {
  std::string client_email;
  std::string private_key_pem;  // PKCS#8
  std::string private_key_id;   // the JWT's kid; may be empty
  std::string token_uri;
};

// Reads and checks a key file; messages say what is wrong without quoting it.
Result<ServiceAccount> loadServiceAccount(const std::string& path);
Result<ServiceAccount> parseServiceAccount(const std::string& json_text);

// header.claims.signature, each unpadded base64url; valid from `now` for an hour.
Result<std::string> signedJwt(const ServiceAccount& account, const std::string& scope, int64_t now);

// The raw RSASSA-PKCS1-v1_5 SHA-256 signature of `data` with the account's key.
Result<std::string> rsaSha256Signature(const ServiceAccount& account, const std::string& data);

// Unpadded base64url of `bytes` (JWT's encoding).
std::string base64Url(const std::string& bytes);

}  // namespace gsp::backup
