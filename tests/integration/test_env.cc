#include "test_env.h"

#include <cppunit/extensions/HelperMacros.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/crypto.h"

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

}  // namespace gsp::test
