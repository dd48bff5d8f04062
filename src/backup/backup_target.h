// Where backups are kept: a local directory (local_target.h) or Google Cloud
// Storage (gcs_target.h). Objects are named by the caller ("servers/42/7-...tar.gz")
// and written as a stream, so no archive is ever whole in memory or on the
// agent's disk. Implementations are used by one job at a time each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "backup/archive_digests.h"
#include "core/status.h"

namespace gsp::backup {

// One object being written. Nothing is visible under its name until commit()
// succeeds; abort() (or destruction without commit) leaves nothing behind.
class ObjectWriter {
 public:
  virtual ~ObjectWriter() = default;
  virtual Status write(const char* data, size_t size) = 0;
  // `sums` are of every byte written; a target that can check them does.
  virtual Status commit(const ArchiveSums& sums) = 0;
  virtual void abort() = 0;
  // What a later try may resume() with (a resumable upload's URI); empty
  // when the target cannot resume.
  virtual std::string session() const { return ""; }
};

// One object being read, front to back.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  // Up to `size` bytes into `buffer`: how many, 0 at the end, or an error.
  virtual Result<size_t> read(char* buffer, size_t size) = 0;
};

class BackupTarget {
 public:
  virtual ~BackupTarget() = default;
  virtual const char* name() const = 0;  // "local"
  virtual Result<std::unique_ptr<ObjectWriter>> create(const std::string& object) = 0;
  // Goes on with an upload an earlier try left open (its writer's session()).
  // The caller writes the whole object again from its first byte; what the
  // target already kept is skipped. If those bytes turn out to differ, commit()
  // fails with kConflict and the caller starts again with create(). kNotFound
  // when the session is gone (expired, or a target that cannot resume).
  virtual Result<std::unique_ptr<ObjectWriter>> resume(const std::string& object, const std::string& session) {
    (void)object;
    (void)session;
    return Status::notFound("This backup target cannot resume an upload.");
  }
  // kNotFound when the object is not there.
  virtual Result<std::unique_ptr<ObjectReader>> open(const std::string& object) = 0;
  // A missing object is fine (already deleted).
  virtual Status remove(const std::string& object) = 0;
  // A URL a browser may fetch the object from for a few minutes, saved as
  // `file_name`; kInvalid for a target whose files the web server serves itself.
  virtual Result<std::string> downloadUrl(const std::string& object, const std::string& file_name, int64_t now) = 0;
};

}  // namespace gsp::backup
