#include "web/webhook_signature.h"

#include "core/crypto.h"

namespace gsp::web {

namespace {
bool allDigits(const std::string& s, size_t max_len) {
  return !s.empty() && s.size() <= max_len && s.find_first_not_of("0123456789") == std::string::npos;
}
}  // namespace

int64_t parseServerIdHeader(const std::string& value) {
  if (!allDigits(value, 18) || value[0] == '0') return 0;
  return std::stoll(value);
}

Status verifyWebhookSignature(const std::string& secret_hex, const std::string& method, const std::string& path,
                              const std::string& timestamp, const std::string& signature_hex,
                              const std::string& body, int64_t now_unix, int max_skew_seconds) {
  if (!allDigits(timestamp, 12)) return Status::forbidden("missing or malformed X-GSP-Timestamp");
  int64_t sent = std::stoll(timestamp);
  if (sent < now_unix - max_skew_seconds || sent > now_unix + max_skew_seconds)
    return Status::forbidden("stale X-GSP-Timestamp");
  std::string expected =
      crypto::toHex(crypto::hmacSha256(secret_hex, method + "\n" + path + "\n" + timestamp + "\n" + body));
  std::string given = signature_hex;
  for (char& c : given) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  if (!crypto::constantTimeEquals(expected, given)) return Status::forbidden("bad X-GSP-Signature");
  return Status::ok();
}

}  // namespace gsp::web
