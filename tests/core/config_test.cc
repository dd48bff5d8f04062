#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "core/config.h"

using gsp::ConfigLoad;
using gsp::loadConfig;

namespace {

// Runs loadConfig with argv = {"prog", args...} and the given environment.
ConfigLoad load(std::vector<std::string> args, std::vector<std::string> env = {},
                gsp::ConfigFor program = gsp::ConfigFor::kAll) {
  std::vector<const char*> argv{"prog"};
  // A config file that never exists, so the machine's own /etc/gsp/gsp.ini is not read.
  argv.push_back("--config=/nonexistent/gsp-test.ini");
  for (auto& a : args) argv.push_back(a.c_str());
  std::vector<const char*> envp;
  for (auto& e : env) envp.push_back(e.c_str());
  envp.push_back(nullptr);
  bool explicit_config = false;
  for (auto& a : args) explicit_config |= a.rfind("--config", 0) == 0;
  if (explicit_config) argv.erase(argv.begin() + 1);
  return loadConfig(static_cast<int>(argv.size()), argv.data(), envp.data(), nullptr, program);
}

}  // namespace

class ConfigTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ConfigTest);
  CPPUNIT_TEST(missingExplicitFileIsAnError);
  CPPUNIT_TEST(defaultsAreValid);
  CPPUNIT_TEST(helpListsEveryOptionWithDefault);
  CPPUNIT_TEST(invalidValuesNameTheOption);
  CPPUNIT_TEST(precedenceIsFlagThenEnvThenFile);
  CPPUNIT_TEST(unknownFileKeyIsAnError);
  CPPUNIT_TEST(adminEmailsAreNormalised);
  CPPUNIT_TEST(eachProgramTakesOnlyItsSections);
  CPPUNIT_TEST_SUITE_END();

  std::string file_;

 public:
  void setUp() override { file_ = "/tmp/gsp-config-test-" + std::to_string(getpid()) + ".ini"; }
  void tearDown() override { std::remove(file_.c_str()); }

  void write(const std::string& text) { std::ofstream(file_) << text; }

  void missingExplicitFileIsAnError() {
    ConfigLoad l = load({"--config=/nonexistent/x.ini"});
    CPPUNIT_ASSERT(l.outcome == ConfigLoad::Outcome::kError);
    CPPUNIT_ASSERT(l.text.find("config") != std::string::npos);
  }

  void defaultsAreValid() {
    write("");
    ConfigLoad l = load({"--config=" + file_});
    CPPUNIT_ASSERT_MESSAGE(l.text, l.outcome == ConfigLoad::Outcome::kRun);
    CPPUNIT_ASSERT_EQUAL(8, l.config.web_threads);
    CPPUNIT_ASSERT_EQUAL(0660, l.config.web_socket_mode);
    CPPUNIT_ASSERT(!l.config.auth_mock_login);
    CPPUNIT_ASSERT(!l.config.billing_mock_deposits);  // free credit is opt-in, like mock sign-in
    CPPUNIT_ASSERT_EQUAL(10, l.config.servers_max_per_user);
  }

  void helpListsEveryOptionWithDefault() {
    ConfigLoad l = load({"--help"});
    CPPUNIT_ASSERT(l.outcome == ConfigLoad::Outcome::kHelp);
    for (const char* opt : {"web.socket", "web.threads", "web.max-body-bytes", "database.socket", "auth.mock-login",
                            "billing.max-deposit-cents", "admin.sql-dir", "log.level", "servers.public-host"}) {
      CPPUNIT_ASSERT_MESSAGE(opt, l.text.find(opt) != std::string::npos);
    }
    CPPUNIT_ASSERT(l.text.find("(=8)") != std::string::npos);
  }

  void invalidValuesNameTheOption() {
    write("");
    struct { const char* arg; const char* option; } cases[] = {
        {"--web.threads=0", "web.threads"},
        {"--web.threads=abc", "web.threads"},
        {"--web.threads=100000", "web.threads"},
        {"--web.max-body-bytes=10", "web.max-body-bytes"},
        {"--web.socket=relative.sock", "web.socket"},
        {"--web.socket-mode=999", "web.socket-mode"},
        {"--database.port=70000", "database.port"},
        {"--database.name=x;drop", "database.name"},
        {"--auth.mock-login=maybe", "auth.mock-login"},
        {"--auth.admin-emails=notanemail", "auth.admin-emails"},
        {"--billing.max-deposit-cents=-5", "billing.max-deposit-cents"},
        {"--billing.page-size=1", "billing.page-size"},
        {"--log.level=loud", "log.level"},
        {"--servers.public-host=a b", "servers.public-host"},
        {"--servers.network-pool=10.201.0.1/16", "servers.network-pool"},
        {"--servers.network-pool=10.201.0.0/30", "servers.network-pool"},
        {"--servers.network-pool=fd00::/64", "servers.network-pool"},
        {"--servers.network-prefix=12", "servers.network-prefix"},
        {"--servers.network-prefix=30", "servers.network-prefix"},
        {"--no-such-option=1", "no-such-option"},
    };
    for (const auto& c : cases) {
      ConfigLoad l = load({"--config=" + file_, c.arg});
      CPPUNIT_ASSERT_MESSAGE(c.arg, l.outcome == ConfigLoad::Outcome::kError);
      CPPUNIT_ASSERT_MESSAGE(c.arg + std::string(" -> ") + l.text, l.text.find(c.option) != std::string::npos);
    }
  }

  void precedenceIsFlagThenEnvThenFile() {
    write("[web]\nthreads = 3\nmax-body-bytes = 2048\n[database]\nname = fromfile\nuser = fileuser\n");
    ConfigLoad l = load({"--config=" + file_, "--web.threads=5"},
                        {"GSP_WEB_THREADS=4", "GSP_DATABASE_NAME=fromenv", "GSP_UNRELATED=1"});
    CPPUNIT_ASSERT_MESSAGE(l.text, l.outcome == ConfigLoad::Outcome::kRun);
    CPPUNIT_ASSERT_EQUAL(5, l.config.web_threads);               // flag
    CPPUNIT_ASSERT_EQUAL(std::string("fromenv"), l.config.database.name);  // env over file
    CPPUNIT_ASSERT_EQUAL(std::string("fileuser"), l.config.database.user);  // file over default
    CPPUNIT_ASSERT_EQUAL(int64_t(2048), l.config.web_max_body_bytes);
  }

  void unknownFileKeyIsAnError() {
    write("[web]\nthreadz = 3\n");
    ConfigLoad l = load({"--config=" + file_});
    CPPUNIT_ASSERT(l.outcome == ConfigLoad::Outcome::kError);
    CPPUNIT_ASSERT(l.text.find("threadz") != std::string::npos);
  }

  void adminEmailsAreNormalised() {
    write("[auth]\nadmin-emails = Alice@Example.com, bob@example.org ,\n");
    ConfigLoad l = load({"--config=" + file_});
    CPPUNIT_ASSERT_MESSAGE(l.text, l.outcome == ConfigLoad::Outcome::kRun);
    CPPUNIT_ASSERT(l.config.isAdminEmail("alice@example.com"));
    CPPUNIT_ASSERT(l.config.isAdminEmail("bob@example.org"));
    CPPUNIT_ASSERT(!l.config.isAdminEmail("eve@example.com"));
  }

  // gsp-web knows nothing of Docker: no flag, no help line; the shared file's
  // [docker] section is another program's and is skipped.
  void eachProgramTakesOnlyItsSections() {
    using gsp::ConfigFor;
    ConfigLoad help = load({"--help"}, {}, ConfigFor::kWeb);
    CPPUNIT_ASSERT(help.outcome == ConfigLoad::Outcome::kHelp);
    CPPUNIT_ASSERT(help.text.find("web.threads") != std::string::npos);
    CPPUNIT_ASSERT(help.text.find("docker.") == std::string::npos);
    CPPUNIT_ASSERT(load({"--help"}, {}, ConfigFor::kAgent).text.find("docker.socket") != std::string::npos);
    ConfigLoad flag = load({"--docker.socket=/tmp/x.sock"}, {}, ConfigFor::kWeb);
    CPPUNIT_ASSERT(flag.outcome == ConfigLoad::Outcome::kError);
    CPPUNIT_ASSERT(flag.text.find("docker.socket") != std::string::npos);
    // The environment of another program's option is not read.
    write("");
    ConfigLoad env = load({"--config=" + file_}, {"GSP_DOCKER_SOCKET=relative"}, ConfigFor::kWeb);
    CPPUNIT_ASSERT_MESSAGE(env.text, env.outcome == ConfigLoad::Outcome::kRun);
    write("[web]\nthreads = 3\n[docker]\nsocket = /var/run/docker.sock\n");
    ConfigLoad shared = load({"--config=" + file_}, {}, ConfigFor::kWeb);
    CPPUNIT_ASSERT_MESSAGE(shared.text, shared.outcome == ConfigLoad::Outcome::kRun);
    CPPUNIT_ASSERT_EQUAL(3, shared.config.web_threads);
    write("[web]\nthreads = 3\n[nonsense]\nkey = 1\n");
    ConfigLoad unknown = load({"--config=" + file_}, {}, ConfigFor::kWeb);
    CPPUNIT_ASSERT(unknown.outcome == ConfigLoad::Outcome::kError);
    CPPUNIT_ASSERT(unknown.text.find("nonsense.key") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigTest);
