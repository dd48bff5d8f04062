// The configured backup target (backup.* options), for gsp-agent's jobs.
#pragma once

#include <memory>

#include "backup/backup_target.h"
#include "core/config.h"

namespace gsp::backup {

std::unique_ptr<BackupTarget> configuredTarget(const Config& config);

}  // namespace gsp::backup
