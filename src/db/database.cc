#include "db/database.h"

#include <atomic>

#include <cppconn/exception.h>
#include <cppconn/statement.h>
#include <mysql_connection.h>
#include <mysql_driver.h>

namespace gsp::db {

Database::Database(DatabaseConfig config) : config_(std::move(config)) {}

Database::~Database() { disconnect(); }

namespace {

// Connector/C++ 1.1 keeps its drivers in an unguarded std::map: threads that
// ask for the driver at the same moment (a pool starting up) corrupt it and
// crash. A function-local static is initialised exactly once, thread-safely.
sql::mysql::MySQL_Driver* driver() {
  static sql::mysql::MySQL_Driver* const instance = sql::mysql::get_mysql_driver_instance();
  return instance;
}

}  // namespace

void Database::threadInit() { driver()->threadInit(); }
void Database::threadEnd() { driver()->threadEnd(); }

sql::Connection& Database::connection() {
  if (conn_ && !conn_->isClosed()) return *conn_;
  statements_.clear();
  sql::ConnectOptionsMap options;
  if (config_.host.empty()) {
    options["hostName"] = sql::SQLString("localhost");
    options["socket"] = sql::SQLString(config_.socket);
  } else {
    options["hostName"] = sql::SQLString(config_.host);
    options["port"] = config_.port;
  }
  options["userName"] = sql::SQLString(config_.user);
  options["password"] = sql::SQLString(config_.password);
  options["schema"] = sql::SQLString(config_.name);
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  // We reconnect ourselves so that cached prepared statements are rebuilt too.
  options["OPT_RECONNECT"] = false;
  options["OPT_CONNECT_TIMEOUT"] = 3;
  options["OPT_READ_TIMEOUT"] = 30;
  options["OPT_WRITE_TIMEOUT"] = 30;
  conn_.reset(driver()->connect(options));
  std::unique_ptr<sql::Statement> st(conn_->createStatement());
  st->execute("SET time_zone = '+00:00'");
  return *conn_;
}

Query Database::sql(const std::string& text) {
  ++statements_run_;
  sql::Connection& conn = connection();
  auto it = statements_.find(text);
  if (it == statements_.end()) {
    it = statements_.emplace(text, std::unique_ptr<sql::PreparedStatement>(conn.prepareStatement(text))).first;
  }
  return Query(it->second.get());
}

namespace {
std::atomic<uint64_t> write_generation{1};
}  // namespace

uint64_t writeGeneration() { return write_generation.load(std::memory_order_acquire); }
void noteWrite() { write_generation.fetch_add(1, std::memory_order_acq_rel); }

int Query::update() {
  int n = st_->executeUpdate();
  noteWrite();  // after: in autocommit mode the change is visible now
  return n;
}

void Database::execute(const std::string& text) {
  std::unique_ptr<sql::Statement> st(connection().createStatement());
  st->execute(text);
  noteWrite();
}

int64_t Database::lastInsertId() {
  auto rs = sql("SELECT LAST_INSERT_ID()").rows();
  rs->next();
  return rs->getInt64(1);
}

void Database::disconnect() {
  statements_.clear();
  if (conn_) {
    try {
      conn_->close();
    } catch (const sql::SQLException&) {
      // Already gone; nothing to release on the server side.
    }
    conn_.reset();
  }
}

Transaction::Transaction(Database& db) : db_(db) { db_.connection().setAutoCommit(false); }

Transaction::~Transaction() {
  if (done_) return;
  try {
    db_.connection().rollback();
    db_.connection().setAutoCommit(true);
  } catch (const sql::SQLException&) {
    // The connection died; the server rolls back on its own. Start clean.
    db_.disconnect();
  }
}

void Transaction::commit() {
  db_.connection().commit();
  // Again after the commit: the updates inside were not visible to other
  // connections until now, and a page read in between holds the old data.
  noteWrite();
  db_.connection().setAutoCommit(true);
  done_ = true;
}

bool isConnectionLost(const sql::SQLException& e) {
  switch (e.getErrorCode()) {
    case 1053:  // server shutdown in progress
    case 1927:  // connection was killed
    case 2002:  // can't connect through socket
    case 2003:  // can't connect to server
    case 2006:  // server has gone away
    case 2013:  // lost connection during query
    case 2055:  // lost connection (system error)
    case 4031:  // disconnected by the server for inactivity
      return true;
    default:
      return false;
  }
}

}  // namespace gsp::db
