// The sums of a stored backup, computed as its bytes stream by: SHA-256 (what
// a restore verifies), MD5 and CRC-32C (what Google Cloud Storage checks on
// upload) and the size. One per archive; not thread-safe.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <memory>
#include <string>

namespace gsp::backup {

struct ArchiveSums {
  int64_t size = 0;
  std::string sha256_hex;  // 64 hex digits
  std::string md5_base64;  // 24 characters, as GCS's md5Hash
  std::string crc32c_base64;  // 8 characters, as GCS's crc32c
};

class ArchiveDigests {
 public:
  ArchiveDigests();
  void update(const char* data, size_t size);
  // The sums of everything updated so far; call once, at the end.
  ArchiveSums finish();

 private:
  struct CtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  std::unique_ptr<EVP_MD_CTX, CtxFree> sha256_;
  std::unique_ptr<EVP_MD_CTX, CtxFree> md5_;
  uint32_t crc_ = 0;
  int64_t size_ = 0;
};

}  // namespace gsp::backup
