#include "db/migrator.h"

#include <cppconn/exception.h>
#include <dirent.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace gsp::db {

Result<std::vector<MigrationFile>> listMigrations(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return Status::notFound("cannot open migrations directory '" + dir + "'");
  std::vector<MigrationFile> files;
  while (struct dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name.size() < 5 || name.compare(name.size() - 4, 4, ".sql") != 0) continue;
    size_t digits = 0;
    while (digits < name.size() && isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
    if (digits == 0 || digits > 6 || name[digits] != '_') {
      closedir(d);
      return Status::invalid("migration file '" + name + "' must be named NNN_description.sql");
    }
    files.push_back({std::stoi(name.substr(0, digits)), name, dir + "/" + name});
  }
  closedir(d);
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < files.size(); ++i) {
    if (files[i].version == files[i - 1].version)
      return Status::invalid("two migrations share version " + std::to_string(files[i].version));
  }
  return files;
}

std::vector<std::string> splitSqlStatements(const std::string& script) {
  std::vector<std::string> out;
  std::string current;
  char quote = 0;
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (quote) {
      current.push_back(c);
      if (c == '\\' && i + 1 < script.size()) current.push_back(script[++i]);
      else if (c == quote) quote = 0;
      continue;
    }
    if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
      current.push_back('\n');
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') quote = c;
    if (c == ';') {
      if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
  return out;
}

Status Migrator::migrate(const std::string& dir, std::vector<std::string>* applied) {
  auto files = listMigrations(dir);
  if (!files.isOk()) return files.status();
  try {
    auto lock = db_.sql("SELECT GET_LOCK('gsp_migrate', 30)").rows();
    if (!lock->next() || lock->getInt(1) != 1) return Status::unavailable("another migration is running");
    db_.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INT NOT NULL PRIMARY KEY,"
                " name VARCHAR(255) NOT NULL,"
                " applied_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"
                ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
    std::set<int> done;
    auto rs = db_.sql("SELECT version FROM schema_migrations").rows();
    while (rs->next()) done.insert(rs->getInt(1));
    Status result;
    for (const MigrationFile& f : files.value()) {
      if (done.count(f.version)) continue;
      std::ifstream in(f.path);
      std::stringstream script;
      script << in.rdbuf();
      // MySQL commits DDL implicitly, so a file is not atomic; each statement is
      // written to be rerunnable where that matters, and the record comes last.
      for (const std::string& statement : splitSqlStatements(script.str())) {
        try {
          db_.execute(statement);
        } catch (const sql::SQLException& e) {
          result = Status::internal(f.name + ": " + e.what());
          break;
        }
      }
      if (!result.isOk()) break;
      db_.sql("INSERT INTO schema_migrations (version, name) VALUES (?, ?)").arg(f.version).arg(f.name).update();
      applied->push_back(f.name);
    }
    db_.sql("SELECT RELEASE_LOCK('gsp_migrate')").rows();
    return result;
  } catch (const sql::SQLException& e) {
    return Status::unavailable(std::string("database error: ") + e.what());
  }
}

}  // namespace gsp::db
