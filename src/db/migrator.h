// Applies the numbered SQL migrations of a directory (NNN_name.sql) in order,
// recording each in schema_migrations so a second run applies nothing.
// Not thread-safe; serialised across processes with GET_LOCK.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "db/database.h"

namespace gsp::db {

struct MigrationFile {
  int version = 0;
  std::string name;  // file name
  std::string path;
};

// The migrations in `dir`, sorted by version; an unparseable name or a
// repeated version is an error.
Result<std::vector<MigrationFile>> listMigrations(const std::string& dir);

// Splits a script into statements at ';' outside quotes and comments.
std::vector<std::string> splitSqlStatements(const std::string& script);

class Migrator {
 public:
  explicit Migrator(Database& db) : db_(db) {}
  // Applies what is pending; `applied` receives the names applied now.
  Status migrate(const std::string& dir, std::vector<std::string>* applied);

 private:
  Database& db_;
};

}  // namespace gsp::db
