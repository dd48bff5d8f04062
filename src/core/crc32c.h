// CRC-32C (Castagnoli; RFC 3720 B.4, the checksum Google Cloud Storage keeps
// for every object), computed incrementally. Uses the CPU's crc32 instruction
// (SSE4.2) when there is one, a table otherwise. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace gsp {

// The CRC of `data` continued from `crc` (0 to start): crc32c(crc32c(0, a), b) == crc32c(0, a + b).
uint32_t crc32c(uint32_t crc, const void* data, size_t size);

// The 4 bytes big-endian, base64-encoded: GCS's `crc32c` field ("yZRlqg==").
std::string crc32cBase64(uint32_t crc);

}  // namespace gsp
