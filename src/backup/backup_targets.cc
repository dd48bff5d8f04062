#include "backup/backup_targets.h"

#include "backup/local_target.h"

namespace gsp::backup {

std::unique_ptr<BackupTarget> configuredTarget(const Config& config) {
  return std::make_unique<LocalTarget>(config.backup_local_dir);
}

}  // namespace gsp::backup
