// Backups in a local directory (backup.local-dir): each object a file under
// it, written as NAME.part and renamed into place once complete and synced.
// The directory is the agent's (mode 2750, group www-data so that nginx can
// serve downloads from its internal location). Thread-compatible.
#pragma once

#include <string>

#include "backup/backup_target.h"

namespace gsp::backup {

class LocalTarget : public BackupTarget {
 public:
  explicit LocalTarget(std::string dir);
  const char* name() const override { return "local"; }
  Result<std::unique_ptr<ObjectWriter>> create(const std::string& object) override;
  Result<std::unique_ptr<ObjectReader>> open(const std::string& object) override;
  Status remove(const std::string& object) override;
  Result<std::string> downloadUrl(const std::string&, const std::string&, int64_t) override {
    return Status::invalid("A local backup is served by the web server, not through a URL.");
  }

  // The file of `object`, or empty when the name could leave the directory.
  std::string pathOf(const std::string& object) const;

 private:
  const std::string dir_;
};

}  // namespace gsp::backup
