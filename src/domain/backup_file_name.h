// The file name a backup is downloaded as: "my-world-2026-11-30-100000.tar.gz",
// the server's name made safe for any file system and the backup's UTC time.
// Used by gsp-web (local backups, through nginx) and gsp-agent (signed Cloud
// Storage URLs), so a download has the same name wherever it is kept. Pure.
#pragma once

#include <string>

namespace gsp::domain {

// `created_at` is "YYYY-MM-DD HH:MM:SS" (UTC).
std::string backupFileName(const std::string& server_name, const std::string& created_at);

}  // namespace gsp::domain
