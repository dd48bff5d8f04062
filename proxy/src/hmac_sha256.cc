// The SHA256_* calls are the low-level primitive (deprecated in OpenSSL 3 in
// favour of EVP, still supported): they link without the provider framework.
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "hmac_sha256.h"

#include <openssl/sha.h>

namespace gsp::proxy {

namespace {
constexpr size_t kBlock = 64;

std::string sha256(const std::string& a, const std::string& b) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, a.data(), a.size());
  SHA256_Update(&ctx, b.data(), b.size());
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256_Final(md, &ctx);
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}
}  // namespace

std::string hmacSha256(const std::string& key, const std::string& data) {
  std::string k = key.size() > kBlock ? sha256(key, "") : key;
  k.resize(kBlock, '\0');
  std::string ipad(kBlock, '\0'), opad(kBlock, '\0');
  for (size_t i = 0; i < kBlock; ++i) {
    ipad[i] = static_cast<char>(k[i] ^ 0x36);
    opad[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  return sha256(opad, sha256(ipad, data));
}

std::string hexEncode(const std::string& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace gsp::proxy
