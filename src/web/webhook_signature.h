// Verifies the signature of a call from a sidecar proxy (proxy/README.md):
//   X-GSP-Server: server id, X-GSP-Timestamp: unix seconds,
//   X-GSP-Signature: hex HMAC-SHA256(secret, method "\n" path "\n" timestamp "\n" body),
// so a signature made for one route (wake) is refused on another (activity).
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace gsp::web {

// Parses X-GSP-Server; 0 when it is not a positive decimal id.
int64_t parseServerIdHeader(const std::string& value);

// kForbidden with the reason when the timestamp is malformed, further than
// `max_skew_seconds` from `now_unix` (a replay or a wrong clock), or the
// signature does not match (compared in constant time).
Status verifyWebhookSignature(const std::string& secret_hex, const std::string& method, const std::string& path,
                              const std::string& timestamp, const std::string& signature_hex,
                              const std::string& body, int64_t now_unix, int max_skew_seconds);

}  // namespace gsp::web
