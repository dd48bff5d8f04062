// Compresses a tar stream with gzip (a fast level) on its way to a backup
// target, counting the bytes read and stored and summing what is stored
// (archive_digests.h). Memory is one 256 KiB buffer, whatever the archive's
// size. One per archive; not thread-safe.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <vector>

#include "backup/archive_digests.h"
#include "backup/backup_target.h"
#include "core/status.h"

namespace gsp::backup {

class ArchiveEncoder {
 public:
  // `level` 1 (fastest) to 9; `out` must outlive the encoder.
  explicit ArchiveEncoder(ObjectWriter& out, int level = 1);
  ~ArchiveEncoder();
  ArchiveEncoder(const ArchiveEncoder&) = delete;
  ArchiveEncoder& operator=(const ArchiveEncoder&) = delete;

  Status write(const char* data, size_t size);
  // Writes the gzip trailer; then sums() is final.
  Status finish();

  int64_t bytesRead() const { return bytes_read_; }
  int64_t bytesStored() const { return bytes_stored_; }
  const ArchiveSums& sums() const { return sums_; }

 private:
  // Runs deflate with `flush` until it wants more input (or, finishing, is done).
  Status pump(int flush);

  ObjectWriter& out_;
  z_stream z_{};
  bool ready_ = false;
  std::vector<char> buffer_;
  ArchiveDigests digests_;
  ArchiveSums sums_;
  int64_t bytes_read_ = 0;
  int64_t bytes_stored_ = 0;
};

}  // namespace gsp::backup
