#include "test_env.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "core/crypto.h"
#include "db/job_repository.h"
#include "db/server_repository.h"

namespace gsp::test {

std::string env(const char* name) {
  const char* v = getenv(name);
  if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set: run the tests with scripts/test.sh");
  return v;
}

Config testConfig() {
  std::string arg = "--config=" + env("GSP_TEST_CONFIG");
  const char* argv[] = {"test", arg.c_str()};
  const char* envp[] = {nullptr};
  ConfigLoad load = loadConfig(2, argv, envp);
  if (load.outcome != ConfigLoad::Outcome::kRun) throw std::runtime_error(load.text);
  return load.config;
}

std::string uniqueEmail(const std::string& who) {
  return who + "-" + crypto::toHex(crypto::randomBytes(4)) + "@example.com";
}

HttpClient signIn(const std::string& base_url, const std::string& email, const std::string& next,
                  HttpResponse* login) {
  HttpClient c(base_url);
  HttpResponse consent = c.get("/auth/mock/google?next=" + urlEncode(next));
  CPPUNIT_ASSERT_EQUAL(200L, consent.status);
  std::string csrf = formField(consent.body, "csrf_token");
  CPPUNIT_ASSERT(!csrf.empty());
  HttpResponse r = c.post("/auth/mock-login", "provider=google&csrf_token=" + csrf + "&next=" +
                                                  urlEncode(formField(consent.body, "next")) +
                                                  "&email=" + urlEncode(email));
  CPPUNIT_ASSERT_EQUAL(303L, r.status);
  if (login) *login = r;
  return c;
}

std::string csrfOf(HttpClient& client) { return formField(client.get("/billing").body, "csrf_token"); }

std::string runCommand(const std::string& command, int* status) {
  std::string out;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  *status = p ? pclose(p) : -1;
  return out;
}

int gameId(db::Database& db, const std::string& slug) {
  auto rs = db.sql("SELECT id FROM game_images WHERE slug = ?").arg(slug).rows();
  CPPUNIT_ASSERT_MESSAGE("no game " + slug, rs->next());
  return rs->getInt(1);
}

int64_t createServer(HttpClient& c, db::Database& db, int game_id, const std::string& name) {
  HttpResponse form = c.get("/servers/create");
  CPPUNIT_ASSERT_EQUAL(200L, form.status);
  HttpResponse r = c.post("/servers/create", "csrf_token=" + formField(form.body, "csrf_token") +
                                                 "&game_id=" + std::to_string(game_id) + "&name=" + urlEncode(name));
  CPPUNIT_ASSERT_EQUAL_MESSAGE(r.body.substr(0, 2000), 303L, r.status);
  std::string location = r.header("location");
  CPPUNIT_ASSERT(location.rfind("/servers/", 0) == 0);
  int64_t id = std::stoll(location.substr(9));
  waitForState(db, id, domain::ServerState::kSleeping, std::chrono::seconds(60));
  return id;
}

void waitForState(db::Database& db, int64_t id, domain::ServerState state, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  std::string last = "deleted";
  while (std::chrono::steady_clock::now() < end) {
    std::optional<db::ServerRecord> s = db::ServerRepository(db).find(id);
    if (s && s->state == state) return;
    if (s) last = std::string(domain::stateName(s->state)) + " (" + s->state_message + ")";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::optional<db::Job> job = db::JobRepository(db).latestForServer(id);
  CPPUNIT_FAIL("server " + std::to_string(id) + " never became " + domain::stateName(state) + "; it is " + last +
               (job ? "; its last job " + std::string(domain::jobKindName(job->kind)) + " is " +
                          domain::jobStateName(job->state) + ": " + job->message
                    : ""));
}

void waitUntilDeleted(db::Database& db, int64_t id, std::chrono::seconds limit) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (!db::ServerRepository(db).find(id)) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CPPUNIT_FAIL("server " + std::to_string(id) + " was never deleted");
}

}  // namespace gsp::test
