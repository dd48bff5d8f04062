#include "backup/backup_targets.h"

#include "backup/gcs_target.h"
#include "backup/local_target.h"

namespace gsp::backup {

std::unique_ptr<BackupTarget> configuredTarget(const Config& config) {
  if (config.backup_target == "gcs") {
    GcsOptions options;
    options.endpoint = config.backup_gcs_endpoint;
    options.bucket = config.backup_gcs_bucket;
    options.key_file = config.backup_gcs_key_file;
    return std::make_unique<GcsTarget>(options, config.backup_gcs_prefix, size_t(config.backup_gcs_chunk_kib) << 10);
  }
  return std::make_unique<LocalTarget>(config.backup_local_dir);
}

}  // namespace gsp::backup
