#include <cppunit/extensions/HelperMacros.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "db/migrator.h"

using namespace gsp::db;

class MigratorTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(MigratorTest);
  CPPUNIT_TEST(splitsStatementsOutsideQuotesAndComments);
  CPPUNIT_TEST(listsShippedMigrationsInOrder);
  CPPUNIT_TEST(rejectsBadNamesAndDuplicates);
  CPPUNIT_TEST_SUITE_END();

 public:
  void splitsStatementsOutsideQuotesAndComments() {
    auto parts = splitSqlStatements(
        "-- a comment; with a semicolon\nCREATE TABLE a (x INT);\n"
        "INSERT INTO a VALUES ('semi;colon', \"it's\");  \n\nINSERT INTO a VALUES ('esc\\';aped')\n");
    CPPUNIT_ASSERT_EQUAL(size_t(3), parts.size());
    CPPUNIT_ASSERT(parts[1].find("'semi;colon'") != std::string::npos);
    CPPUNIT_ASSERT(parts[2].find("'esc\\';aped'") != std::string::npos);
    CPPUNIT_ASSERT(splitSqlStatements("  \n-- only a comment\n").empty());
  }

  void listsShippedMigrationsInOrder() {
    auto files = listMigrations(GSP_TEST_SQL_DIR);
    CPPUNIT_ASSERT_MESSAGE(files.status().message(), files.isOk());
    CPPUNIT_ASSERT(files->size() >= 2);
    for (size_t i = 0; i < files->size(); ++i) CPPUNIT_ASSERT_EQUAL(static_cast<int>(i + 1), files.value()[i].version);
  }

  void rejectsBadNamesAndDuplicates() {
    std::string dir = "/tmp/gsp-migrator-test-" + std::to_string(getpid());
    mkdir(dir.c_str(), 0700);
    std::ofstream(dir + "/001_a.sql") << "SELECT 1;";
    std::ofstream(dir + "/001_b.sql") << "SELECT 1;";
    CPPUNIT_ASSERT(!listMigrations(dir).isOk());
    unlink((dir + "/001_b.sql").c_str());
    std::ofstream(dir + "/later.sql") << "SELECT 1;";
    CPPUNIT_ASSERT(!listMigrations(dir).isOk());
    unlink((dir + "/later.sql").c_str());
    CPPUNIT_ASSERT(listMigrations(dir).isOk());
    unlink((dir + "/001_a.sql").c_str());
    rmdir(dir.c_str());
    CPPUNIT_ASSERT(!listMigrations(dir).isOk());
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(MigratorTest);
