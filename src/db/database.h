// One MySQL/MariaDB connection (Connector/C++) with a cache of prepared
// statements, owned by one thread. Not thread-safe: each worker has its own.
//
// Database failures (lost connection, server errors) surface as
// sql::SQLException; repositories let them pass, and the request loop decides:
// isConnectionLost() -> reconnect and retry once, otherwise 500. Expected
// outcomes (not found, duplicate) are values returned by the repositories.
#pragma once

#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <map>
#include <memory>
#include <string>

#include "core/config.h"

namespace sql {
class Connection;
class SQLException;
}  // namespace sql

namespace gsp::db {

// Binds arguments in order and runs one prepared statement.
class Query {
 public:
  explicit Query(sql::PreparedStatement* st) : st_(st) { st_->clearParameters(); }
  Query& arg(int64_t v) { st_->setInt64(next_++, v); return *this; }
  Query& arg(int v) { st_->setInt(next_++, v); return *this; }
  Query& arg(bool v) { st_->setBoolean(next_++, v); return *this; }
  Query& arg(double v) { st_->setDouble(next_++, v); return *this; }
  Query& arg(const std::string& v) { st_->setString(next_++, v); return *this; }
  Query& arg(const char* v) { st_->setString(next_++, v); return *this; }
  Query& argNull() { st_->setNull(next_++, 0); return *this; }
  std::unique_ptr<sql::ResultSet> rows() { return std::unique_ptr<sql::ResultSet>(st_->executeQuery()); }
  int update();  // affected rows
  // For writes of figures no cached page shows (activity counters): leaves
  // writeGeneration() alone, so frequent reports do not empty the page cache.
  int updateUnseenByPages() { return st_->executeUpdate(); }

 private:
  sql::PreparedStatement* st_;
  unsigned next_ = 1;
};

class Database {
 public:
  explicit Database(DatabaseConfig config);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // A cached prepared statement for `text`; connects first when needed.
  Query sql(const std::string& text);
  // Runs a statement that cannot be prepared (DDL, multi-statement scripts).
  void execute(const std::string& text);
  int64_t lastInsertId();
  // Statements prepared-and-run through sql() on this connection so far (for benchmarks).
  uint64_t statementsRun() const { return statements_run_; }

  // Drops the connection and every prepared statement; the next call connects anew.
  void disconnect();
  sql::Connection& connection();

  // Called once per thread that uses Connector/C++ (its driver needs it).
  static void threadInit();
  static void threadEnd();

 private:
  DatabaseConfig config_;
  std::unique_ptr<sql::Connection> conn_;
  std::map<std::string, std::unique_ptr<sql::PreparedStatement>> statements_;
  uint64_t statements_run_ = 0;
};

// Connector/C++'s per-thread set-up for the lifetime of a scope: the first
// member of whatever a thread owns that uses the database.
class DatabaseThread {
 public:
  DatabaseThread() { Database::threadInit(); }
  ~DatabaseThread() { Database::threadEnd(); }
  DatabaseThread(const DatabaseThread&) = delete;
  DatabaseThread& operator=(const DatabaseThread&) = delete;
};

// A database transaction on `db`: rolled back on destruction unless committed.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool done_ = false;
};

// A process-wide count of writes: bumped after every INSERT/UPDATE/DELETE
// (Query::update), statement script (execute) and commit, by any connection
// of this process. Whatever was read before a bump may be outdated after it;
// the web tier's page cache keys its entries on this (web/page_cache.h).
uint64_t writeGeneration();
void noteWrite();

// True when the error means the connection is gone (server restarted, killed
// connection, network): the caller may reconnect and try once more.
bool isConnectionLost(const sql::SQLException& e);

}  // namespace gsp::db
