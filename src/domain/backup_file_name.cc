#include "domain/backup_file_name.h"

#include <algorithm>
#include <cctype>

namespace gsp::domain {

std::string backupFileName(const std::string& server_name, const std::string& created_at) {
  std::string name;
  for (char c : server_name) name.push_back(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '-');
  std::string when = created_at;
  std::replace(when.begin(), when.end(), ' ', '-');
  when.erase(std::remove(when.begin(), when.end(), ':'), when.end());
  return name + "-" + when + ".tar.gz";
}

}  // namespace gsp::domain
