// gsp-admin: the administrator's command line.
//   gsp-admin [options] migrate      apply pending SQL migrations
//   gsp-admin [options] migrations   list migrations and whether each is applied
#include <cppconn/exception.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "agentapi/agent_client.h"
#include "core/config.h"
#include "db/catalog_repository.h"
#include "db/database.h"
#include "db/migrator.h"

namespace {

const char kUsage[] =
    "Usage: gsp-admin [options] COMMAND\n\n"
    "Commands:\n"
    "  migrate      apply pending SQL migrations from admin.sql-dir (safe to run twice)\n"
    "  migrations   list the migrations and whether each is applied\n"
    "  pull-images  have gsp-agent pull every enabled catalog game's image now, so no\n"
    "               player waits for a download when creating a server\n\n";

int migrate(const gsp::Config& config) {
  gsp::db::Database db(config.database);
  std::vector<std::string> applied;
  gsp::Status status = gsp::db::Migrator(db).migrate(config.sql_dir, &applied);
  for (const std::string& name : applied) printf("applied %s\n", name.c_str());
  if (!status.isOk()) {
    fprintf(stderr, "gsp-admin: migrate failed: %s\n", status.message().c_str());
    return 1;
  }
  if (applied.empty()) printf("database is up to date\n");
  return 0;
}

int listMigrations(const gsp::Config& config) {
  auto files = gsp::db::listMigrations(config.sql_dir);
  if (!files.isOk()) {
    fprintf(stderr, "gsp-admin: %s\n", files.status().message().c_str());
    return 1;
  }
  gsp::db::Database db(config.database);
  std::set<int> done;
  try {
    auto rs = db.sql("SELECT version FROM schema_migrations").rows();
    while (rs->next()) done.insert(rs->getInt(1));
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() != 1146) throw;  // 1146: table does not exist yet
  }
  for (const auto& f : files.value()) printf("%-8s %s\n", done.count(f.version) ? "applied" : "pending", f.name.c_str());
  return 0;
}

// gsp-admin never opens the Docker socket either: the agent pulls.
int pullImages(const gsp::Config& config) {
  gsp::db::Database db(config.database);
  gsp::agentapi::AgentClient agent(config.agent_socket, std::chrono::minutes(60));
  int failed = 0;
  for (const gsp::db::GameImage& g : gsp::db::CatalogRepository(db).listEnabled()) {
    printf("%-24s %s ... ", g.slug.c_str(), g.docker_image.c_str());
    fflush(stdout);
    gsp::Status pulled = agent.pull(g.id);
    printf("%s\n", pulled.isOk() ? "on the host" : pulled.message().c_str());
    failed += pulled.isOk() ? 0 : 1;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv, char** envp) {
  std::vector<std::string> args;
  gsp::ConfigLoad load = gsp::loadConfig(argc, argv, envp, &args, gsp::ConfigFor::kAdmin);
  if (load.outcome == gsp::ConfigLoad::Outcome::kHelp) {
    printf("%s%s", kUsage, load.text.c_str());
    return 0;
  }
  if (load.outcome == gsp::ConfigLoad::Outcome::kError) {
    fprintf(stderr, "gsp-admin: %s\n", load.text.c_str());
    return 2;
  }
  if (args.size() != 1) {
    fprintf(stderr, "%s", kUsage);
    return 2;
  }
  try {
    if (args[0] == "migrate") return migrate(load.config);
    if (args[0] == "migrations") return listMigrations(load.config);
    if (args[0] == "pull-images") return pullImages(load.config);
  } catch (const sql::SQLException& e) {
    fprintf(stderr, "gsp-admin: database error: %s\n", e.what());
    return 1;
  }
  fprintf(stderr, "gsp-admin: unknown command '%s'\n%s", args[0].c_str(), kUsage);
  return 2;
}
