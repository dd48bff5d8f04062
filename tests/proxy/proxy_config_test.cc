// Tests of gsp-proxy's configuration: flags, GSP_PROXY_* environment, the
// secret's sources, and a clear message naming every bad value.
#include <cppunit/extensions/HelperMacros.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "proxy_config.h"

using namespace gsp::proxy;

namespace {

const char* kSecret = "0123456789abcdef0123456789abcdef";

ProxyConfigLoad load(std::vector<std::string> args, std::map<std::string, std::string> env = {{"GSP_PROXY_SECRET", kSecret}}) {
  args.insert(args.begin(), "gsp-proxy");
  std::vector<const char*> argv;
  for (auto& a : args) argv.push_back(a.c_str());
  return loadProxyConfig(static_cast<int>(argv.size()), argv.data(), env);
}

std::vector<std::string> minimal() {
  return {"--port=tcp:7000", "--server-id=42", "--wake-url=http://127.0.0.1:8080/api/webhook/wake"};
}

std::vector<std::string> with(std::vector<std::string> extra) {
  auto args = minimal();
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

}  // namespace

class ProxyConfigTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ProxyConfigTest);
  CPPUNIT_TEST(minimalConfigHasDocumentedDefaults);
  CPPUNIT_TEST(portSpecsExpandRangesAndBothProtocols);
  CPPUNIT_TEST(badPortSpecsAreRefusedByName);
  CPPUNIT_TEST(durationsTakeUnits);
  CPPUNIT_TEST(backendUrlsParseHttpAndUnix);
  CPPUNIT_TEST(activityUrlDefaultsBesideWakeUrl);
  CPPUNIT_TEST(environmentFillsOptionsAndFlagsWin);
  CPPUNIT_TEST(secretComesFromFileOrEnvironmentOnly);
  CPPUNIT_TEST(badValuesNameTheOption);
  CPPUNIT_TEST(helpListsEveryOption);
  CPPUNIT_TEST_SUITE_END();

 public:
  void minimalConfigHasDocumentedDefaults() {
    ProxyConfigLoad l = load(minimal());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(l.message, ProxyConfigLoad::Outcome::kRun == l.outcome, true);
    const ProxyConfig& c = l.config;
    CPPUNIT_ASSERT_EQUAL(std::string("game"), c.upstream_host);
    CPPUNIT_ASSERT_EQUAL(std::string("0.0.0.0"), c.listen_address);
    CPPUNIT_ASSERT_EQUAL(int64_t(120000), c.hold_timeout_ms);
    CPPUNIT_ASSERT_EQUAL(int64_t(60000), c.activity_interval_ms);
    CPPUNIT_ASSERT_EQUAL(std::string(kSecret), c.secret);
    CPPUNIT_ASSERT(!c.minecraft);
    CPPUNIT_ASSERT(c.relay_mode == RelayMode::kSplice);
    CPPUNIT_ASSERT_EQUAL(size_t(1), c.ports.size());
    CPPUNIT_ASSERT_EQUAL(uint16_t(7000), c.ports[0].upstream_port);
  }

  void portSpecsExpandRangesAndBothProtocols() {
    struct Case {
      std::string spec;
      std::vector<std::tuple<Protocol, int, int>> want;
    } cases[] = {
        {"tcp:25565", {{Protocol::kTcp, 25565, 25565}}},
        {"udp:2456-2457", {{Protocol::kUdp, 2456, 2456}, {Protocol::kUdp, 2457, 2457}}},
        {"tcp+udp:7777", {{Protocol::kTcp, 7777, 7777}, {Protocol::kUdp, 7777, 7777}}},
        {"tcp:80=8080", {{Protocol::kTcp, 80, 8080}}},
        {"udp:3000-3001=4000", {{Protocol::kUdp, 3000, 4000}, {Protocol::kUdp, 3001, 4001}}},
        {"udp:3000-3001=4000-4001", {{Protocol::kUdp, 3000, 4000}, {Protocol::kUdp, 3001, 4001}}},
    };
    for (const auto& c : cases) {
      std::vector<PortMapping> got;
      std::string error;
      CPPUNIT_ASSERT_MESSAGE(c.spec + ": " + error, parsePortSpec(c.spec, &got, &error));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.spec, c.want.size(), got.size());
      for (size_t i = 0; i < got.size(); ++i) {
        CPPUNIT_ASSERT(std::get<0>(c.want[i]) == got[i].protocol);
        CPPUNIT_ASSERT_EQUAL(std::get<1>(c.want[i]), int(got[i].public_port));
        CPPUNIT_ASSERT_EQUAL(std::get<2>(c.want[i]), int(got[i].upstream_port));
      }
    }
    // Several specs in one flag value, as the environment gives them.
    ProxyConfigLoad l = load({"--port=tcp:7000, udp:7000", "--server-id=1", "--wake-url=http://h/w"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(l.message, size_t(2), l.config.ports.size());
  }

  void badPortSpecsAreRefusedByName() {
    for (std::string spec : {"7000", "sctp:7000", "tcp:0", "tcp:65536", "tcp:9-8", "tcp:x", "udp:1-3=5-6",
                             "tcp:65535=65536", "udp:65530-65535=65534", "tcp:"}) {
      std::vector<PortMapping> got;
      std::string error;
      CPPUNIT_ASSERT_MESSAGE(spec, !parsePortSpec(spec, &got, &error));
      CPPUNIT_ASSERT_MESSAGE(spec, !error.empty());
    }
    ProxyConfigLoad l = load({"--port=tcp:7000", "--port=tcp:7000", "--server-id=1", "--wake-url=http://h/w"});
    CPPUNIT_ASSERT(l.outcome == ProxyConfigLoad::Outcome::kError);
    CPPUNIT_ASSERT_MESSAGE(l.message, l.message.find("listed twice") != std::string::npos);
    l = load({"--server-id=1", "--wake-url=http://h/w"});
    CPPUNIT_ASSERT_MESSAGE(l.message, l.message.find("--port") != std::string::npos);
  }

  void durationsTakeUnits() {
    struct Case { std::string text; bool ok; int64_t ms; } cases[] = {
        {"250ms", true, 250}, {"5s", true, 5000}, {"2m", true, 120000}, {"1h", true, 3600000},
        {"7", true, 7000}, {"", false, 0}, {"ms", false, 0}, {"5x", false, 0}, {"-5s", false, 0},
        {"1.5s", false, 0}, {"99999999999999999999s", false, 0}};
    for (const auto& c : cases) {
      int64_t ms = -1;
      std::string error;
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.ok, parseDurationMs(c.text, &ms, &error));
      if (c.ok) CPPUNIT_ASSERT_EQUAL_MESSAGE(c.text, c.ms, ms);
    }
  }

  void backendUrlsParseHttpAndUnix() {
    BackendUrl u;
    std::string error;
    CPPUNIT_ASSERT(parseBackendUrl("http://backend:8080/api/webhook/wake", &u, &error));
    CPPUNIT_ASSERT(!u.is_unix);
    CPPUNIT_ASSERT_EQUAL(std::string("backend"), u.host);
    CPPUNIT_ASSERT_EQUAL(uint16_t(8080), u.port);
    CPPUNIT_ASSERT_EQUAL(std::string("/api/webhook/wake"), u.path);
    CPPUNIT_ASSERT(parseBackendUrl("http://10.0.0.1", &u, &error));
    CPPUNIT_ASSERT_EQUAL(uint16_t(80), u.port);
    CPPUNIT_ASSERT_EQUAL(std::string("/"), u.path);
    CPPUNIT_ASSERT(parseBackendUrl("http://[::1]:9000/w", &u, &error));
    CPPUNIT_ASSERT_EQUAL(std::string("::1"), u.host);
    CPPUNIT_ASSERT_EQUAL(uint16_t(9000), u.port);
    CPPUNIT_ASSERT(parseBackendUrl("unix:/run/gsp/webhook.sock:/api/webhook/wake", &u, &error));
    CPPUNIT_ASSERT(u.is_unix);
    CPPUNIT_ASSERT_EQUAL(std::string("/run/gsp/webhook.sock"), u.unix_path);
    CPPUNIT_ASSERT_EQUAL(std::string("/api/webhook/wake"), u.path);
    for (std::string bad : {"https://x/y", "ftp://x", "http://", "http://h:0/", "http://h:99999/",
                            "http://h:/x", "unix:relative.sock:/x", "unix:/no/path", "http://h/a b",
                            "http://[::1/x"}) {
      CPPUNIT_ASSERT_MESSAGE(bad, !parseBackendUrl(bad, &u, &error));
    }
  }

  void activityUrlDefaultsBesideWakeUrl() {
    ProxyConfigLoad l = load({"--port=tcp:1", "--server-id=1", "--wake-url=unix:/run/w.sock:/api/webhook/wake"});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(l.message, true, l.outcome == ProxyConfigLoad::Outcome::kRun);
    CPPUNIT_ASSERT(l.config.activity_url.is_unix);
    CPPUNIT_ASSERT_EQUAL(std::string("/run/w.sock"), l.config.activity_url.unix_path);
    CPPUNIT_ASSERT_EQUAL(std::string("/api/webhook/activity"), l.config.activity_url.path);
    l = load(with({"--activity-url=http://127.0.0.1:9/report"}));
    CPPUNIT_ASSERT_EQUAL(std::string("/report"), l.config.activity_url.path);
  }

  void environmentFillsOptionsAndFlagsWin() {
    std::map<std::string, std::string> env = {
        {"GSP_PROXY_SECRET", kSecret},          {"GSP_PROXY_PORT", "tcp:25565"},
        {"GSP_PROXY_SERVER_ID", "9"},           {"GSP_PROXY_WAKE_URL", "http://b/w"},
        {"GSP_PROXY_HOLD_TIMEOUT", "90s"},      {"GSP_PROXY_MINECRAFT", "true"},
        {"GSP_PROXY_UPSTREAM_HOST", "mc-game"}, {"GSP_PROXY_UNRELATED_THING", "x"}};
    ProxyConfigLoad l = load({"--hold-timeout=30s"}, env);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(l.message, true, l.outcome == ProxyConfigLoad::Outcome::kRun);
    CPPUNIT_ASSERT_EQUAL(int64_t(30000), l.config.hold_timeout_ms);  // flag wins
    CPPUNIT_ASSERT_EQUAL(std::string("9"), l.config.server_id);
    CPPUNIT_ASSERT_EQUAL(std::string("mc-game"), l.config.upstream_host);
    CPPUNIT_ASSERT(l.config.minecraft);
    CPPUNIT_ASSERT_EQUAL(uint16_t(25565), l.config.ports.at(0).public_port);
    env["GSP_PROXY_MINECRAFT"] = "maybe";
    l = load({}, env);
    CPPUNIT_ASSERT_MESSAGE(l.message, l.message.find("GSP_PROXY_MINECRAFT") != std::string::npos);
  }

  void secretComesFromFileOrEnvironmentOnly() {
    // No secret at all.
    ProxyConfigLoad l = load(minimal(), {});
    CPPUNIT_ASSERT(l.outcome == ProxyConfigLoad::Outcome::kError);
    CPPUNIT_ASSERT_MESSAGE(l.message, l.message.find("GSP_PROXY_SECRET") != std::string::npos);
    // There is no flag for the secret itself.
    l = load(with({"--secret=0123456789abcdef0123"}), {});
    CPPUNIT_ASSERT(l.outcome == ProxyConfigLoad::Outcome::kError);
    // From a file, trailing newline dropped; the file wins over the environment.
    char path[] = "/tmp/gsp-proxy-secret-XXXXXX";
    int fd = mkstemp(path);
    CPPUNIT_ASSERT(fd >= 0);
    std::string secret = "file-secret-0123456789\n";
    CPPUNIT_ASSERT(write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()));
    close(fd);
    l = load(with({std::string("--secret-file=") + path}));
    unlink(path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(l.message, true, l.outcome == ProxyConfigLoad::Outcome::kRun);
    CPPUNIT_ASSERT_EQUAL(std::string("file-secret-0123456789"), l.config.secret);
    l = load(with({"--secret-file=/nonexistent/secret"}));
    CPPUNIT_ASSERT_MESSAGE(l.message, l.message.find("--secret-file") != std::string::npos);
    l = load(minimal(), {{"GSP_PROXY_SECRET", "short"}});
    CPPUNIT_ASSERT_MESSAGE(l.message, l.message.find("too short") != std::string::npos);
  }

  void badValuesNameTheOption() {
    struct Case { std::string flag; std::string named; } cases[] = {
        {"--hold-timeout=soon", "--hold-timeout"},
        {"--hold-timeout=10ms", "--hold-timeout"},
        {"--probe-interval=0ms", "--probe-interval"},
        {"--udp-idle-timeout=2h0", "--udp-idle-timeout"},
        {"--max-held-clients=0", "--max-held-clients"},
        {"--hold-buffer-bytes=-1", "--hold-buffer-bytes"},
        {"--udp-max-datagram=70000", "--udp-max-datagram"},
        {"--max-clients=0", "--max-clients"},
        {"--relay=sendfile", "--relay"},
        {"--workers=0", "--workers"},
        {"--workers=65", "--workers"},
        {"--log-level=loud", "--log-level"},
        {"--server-id=4 2", "--server-id"},
        {"--wake-url=https://x/y", "--wake-url"},
        {"--max-clients=many", "max-clients"},
        {"--no-such-flag=1", "no-such-flag"},
    };
    for (const auto& c : cases) {
      ProxyConfigLoad l = load(with({c.flag}));
      CPPUNIT_ASSERT_MESSAGE(c.flag, l.outcome == ProxyConfigLoad::Outcome::kError);
      CPPUNIT_ASSERT_MESSAGE(c.flag + " -> " + l.message, l.message.find(c.named) != std::string::npos);
    }
    ProxyConfigLoad l = load({"--port=udp:7000", "--server-id=1", "--wake-url=http://h/w", "--minecraft"});
    CPPUNIT_ASSERT_MESSAGE(l.message, l.message.find("--minecraft") != std::string::npos);
    // An upstream that is the proxy's own port would connect to itself without end.
    for (std::vector<std::string> args : {
             std::vector<std::string>{"--upstream-host=127.0.0.1"},
             std::vector<std::string>{"--upstream-host=10.0.0.5", "--listen-address=10.0.0.5"}}) {
      l = load(with(args));
      CPPUNIT_ASSERT_MESSAGE(l.message, l.message.find("proxy itself") != std::string::npos);
    }
    l = load({"--port=tcp:7000=7001", "--server-id=1", "--wake-url=http://h/w", "--upstream-host=127.0.0.1"});
    CPPUNIT_ASSERT_MESSAGE(l.message, l.outcome == ProxyConfigLoad::Outcome::kRun);
  }

  void helpListsEveryOption() {
    ProxyConfigLoad l = load({"--help"}, {});
    CPPUNIT_ASSERT(l.outcome == ProxyConfigLoad::Outcome::kHelp);
    for (std::string name : {"--port", "--upstream-host", "--wake-url", "--activity-url", "--server-id",
                             "--secret-file", "--hold-timeout", "--connect-timeout", "--udp-idle-timeout",
                             "--max-held-clients", "--hold-buffer-bytes", "--udp-hold-datagrams",
                             "--max-clients", "--activity-interval", "--minecraft", "--workers", "GSP_PROXY_SECRET"}) {
      CPPUNIT_ASSERT_MESSAGE(name, l.message.find(name) != std::string::npos);
    }
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ProxyConfigTest);
