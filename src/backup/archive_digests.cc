#include "backup/archive_digests.h"

#include "core/crc32c.h"
#include "core/crypto.h"

namespace gsp::backup {

ArchiveDigests::ArchiveDigests() : sha256_(EVP_MD_CTX_new()), md5_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(sha256_.get(), EVP_sha256(), nullptr);
  EVP_DigestInit_ex(md5_.get(), EVP_md5(), nullptr);
}

void ArchiveDigests::update(const char* data, size_t size) {
  EVP_DigestUpdate(sha256_.get(), data, size);
  EVP_DigestUpdate(md5_.get(), data, size);
  crc_ = crc32c(crc_, data, size);
  size_ += static_cast<int64_t>(size);
}

ArchiveSums ArchiveDigests::finish() {
  unsigned char sha[EVP_MAX_MD_SIZE], md5[EVP_MAX_MD_SIZE];
  unsigned int sha_len = 0, md5_len = 0;
  EVP_DigestFinal_ex(sha256_.get(), sha, &sha_len);
  EVP_DigestFinal_ex(md5_.get(), md5, &md5_len);
  ArchiveSums sums;
  sums.size = size_;
  sums.sha256_hex = crypto::toHex(std::string(reinterpret_cast<char*>(sha), sha_len));
  char b64[40] = {0};
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64), md5, static_cast<int>(md5_len));
  sums.md5_base64 = b64;
  sums.crc32c_base64 = crc32cBase64(crc_);
  return sums;
}

}  // namespace gsp::backup
