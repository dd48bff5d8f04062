// Backups in a Google Cloud Storage bucket, through the JSON API (no SDK;
// gcs-json-api.md): each object uploaded in a resumable session, in chunks
// of backup.gcs-chunk-kib (a multiple of 256 KiB), only one chunk in memory.
// After a broken connection or a 5xx the upload asks the service how much it
// kept and goes on from there, never from zero; the final chunk carries the
// CRC32C and MD5, and the stored object's are compared with ours. Reads are
// ranged GETs of a chunk each. Objects are named PREFIX + the backup's name.
// One per job; not thread-safe.
#pragma once

#include <memory>
#include <string>

#include "backup/backup_target.h"
#include "backup/gcs_client.h"

namespace gsp::backup {

class GcsTarget : public BackupTarget {
 public:
  GcsTarget(GcsOptions options, std::string prefix, size_t chunk_bytes);
  const char* name() const override { return "gcs"; }
  Result<std::unique_ptr<ObjectWriter>> create(const std::string& object) override;
  // Asks the service how much of the session it kept (a status query).
  Result<std::unique_ptr<ObjectWriter>> resume(const std::string& object, const std::string& session) override;
  Result<std::unique_ptr<ObjectReader>> open(const std::string& object) override;
  Status remove(const std::string& object) override;
  // Signed with the service account's key (V4), valid for kDownloadUrlSeconds.
  Result<std::string> downloadUrl(const std::string& object, const std::string& file_name, int64_t now) override;

  static constexpr int64_t kDownloadUrlSeconds = 15 * 60;

 private:
  GcsClient client_;
  const std::string prefix_;
  const size_t chunk_bytes_;
};

}  // namespace gsp::backup
