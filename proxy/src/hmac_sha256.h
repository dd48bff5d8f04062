// HMAC-SHA256 for webhook signing (RFC 2104 over OpenSSL's SHA-256 primitive).
// The proxy does not use src/core/crypto (EVP): EVP's provider machinery more
// than doubles the static binary and its resident memory, and the proxy needs
// one hash. The tests check it against src/core/crypto and RFC 4231.
// Pure function; thread-safe.
#pragma once

#include <string>

namespace gsp::proxy {

// Raw 32-byte MAC.
std::string hmacSha256(const std::string& key, const std::string& data);
// Lower-case hex of any bytes.
std::string hexEncode(const std::string& bytes);

}  // namespace gsp::proxy
