// Cryptographic helpers over OpenSSL: random tokens, SHA-256, HMAC-SHA256,
// constant-time comparison and hex encoding. Stateless; thread-safe.
#pragma once

#include <string>

namespace gsp::crypto {

// `n` bytes from the OpenSSL CSPRNG. Aborts if the generator fails: a platform
// that cannot make random tokens must not hand out sessions.
std::string randomBytes(size_t n);

std::string toHex(const std::string& bytes);
// Returns false on odd length or a non-hex digit.
bool fromHex(const std::string& hex, std::string* bytes);

std::string sha256(const std::string& data);                              // raw 32 bytes
std::string hmacSha256(const std::string& key, const std::string& data);  // raw 32 bytes

// Compares without leaking the position of the first difference.
bool constantTimeEquals(const std::string& a, const std::string& b);

}  // namespace gsp::crypto
