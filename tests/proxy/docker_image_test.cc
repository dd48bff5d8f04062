// The images on the real Docker engine: gsp-proxy and gsp-demo-game built
// FROM scratch, run read-only as non-root on a private network, the proxy's
// port published on 127.0.0.1, its webhook a unix socket bind-mounted in.
// A client held by the proxy container gets its echo once the test (acting
// as the backend) starts the game container on the wake call. Uses the docker
// CLI (tests may; the platform's code talks to the Engine API).
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "proxy_harness.h"

using namespace gsp::test;

namespace {

const std::string kVersion = "0.1.0";

std::string run(const std::string& cmd, int* rc = nullptr) {
  std::string out;
  int code = runCommand(cmd, &out);
  if (rc) *rc = code;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// Every object carries gsp.test=proxy-image and the pid of the test process
// that made it. Removes the objects of one run, or (pid 0) of every run whose
// process is gone - never those of a run still going on beside this one.
void cleanupByLabel(pid_t only_pid) {
  for (const char* kind : {"container", "network", "volume"}) {
    std::string list = run(std::string("docker ") + kind + " ls" + (std::string(kind) == "container" ? " -a" : "") +
                           " --filter label=gsp.test=proxy-image --format '{{.Label \"gsp.test.pid\"}} " +
                           (std::string(kind) == "volume" ? "{{.Name}}" : "{{.ID}}") + "'");
    std::istringstream lines(list);
    std::string pid_text, id;
    while (lines >> pid_text >> id) {
      pid_t pid = static_cast<pid_t>(std::atoi(pid_text.c_str()));
      bool mine = only_pid != 0 && pid == only_pid;
      bool orphan = only_pid == 0 && (pid <= 0 || kill(pid, 0) != 0);
      if (!mine && !orphan) continue;
      if (std::string(kind) == "container") run("docker rm -f -v " + id);
      else run(std::string("docker ") + kind + " rm " + id);
    }
  }
}

}  // namespace

class DockerImageTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DockerImageTest);
  CPPUNIT_TEST(imagesWakeAndRelayOnAPrivateNetwork);
  CPPUNIT_TEST_SUITE_END();

 public:
  void imagesWakeAndRelayOnAPrivateNetwork() {
    int rc = 0;
    std::string ping = run("docker version --format '{{.Server.Version}}'", &rc);
    CPPUNIT_ASSERT_MESSAGE("no Docker engine reachable: " + ping, rc == 0);
    // Build both images from the binaries under test.
    std::string built = run("sh '" + std::string(GSP_PROXY_SRC_DIR) + "/proxy/docker/build-images.sh' " + kVersion +
                                " '" + proxyBinary() + "' '" + demoGameBinary() + "'",
                            &rc);
    CPPUNIT_ASSERT_MESSAGE(built, rc == 0);
    int64_t proxy_size = std::stoll(run("docker image inspect -f '{{.Size}}' gsp-proxy:" + kVersion));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(proxy_size), proxy_size <= 16ll << 20);
    CPPUNIT_ASSERT_EQUAL(std::string("65532:65532"), run("docker image inspect -f '{{.Config.User}}' gsp-proxy:" + kVersion));
    CPPUNIT_ASSERT_EQUAL(std::string("65532:65532"), run("docker image inspect -f '{{.Config.User}}' gsp-demo-game:" + kVersion));

    cleanupByLabel(0);
    TempDir dir;
    std::string id = std::to_string(getpid()) + "-" + std::to_string(nowMs() % 100000);
    std::string net = "gsp-test-net-" + id, vol = "gsp-test-data-" + id;
    std::string game = "gsp-test-game-" + id, proxy = "gsp-test-proxy-" + id;
    const std::string label = " --label gsp.test=proxy-image --label gsp.test.pid=" + std::to_string(getpid()) + " ";
    struct Cleanup {
      ~Cleanup() { cleanupByLabel(getpid()); }
    } cleanup;

    // The backend's internal listener, bind-mounted into the proxy container.
    WebhookReceiver hooks(ProxyHarness::kSecret, dir.path() + "/webhook.sock");
    {
      std::ofstream secret(dir.path() + "/secret");
      secret << ProxyHarness::kSecret << "\n";
    }
    chmod((dir.path() + "/secret").c_str(), 0644);

    CPPUNIT_ASSERT_EQUAL(0, runCommand("docker network create" + label + net, nullptr));
    CPPUNIT_ASSERT_EQUAL(0, runCommand("docker volume create" + label + vol, nullptr));
    // The game exists but sleeps (created, not started), like a hibernated server.
    std::string out = run("docker create --name " + game + label + "--network " + net +
                              " --network-alias game --read-only -v " + vol + ":/data gsp-demo-game:" + kVersion,
                          &rc);
    CPPUNIT_ASSERT_MESSAGE(out, rc == 0);
    out = run("docker run -d --name " + proxy + label + "--network " + net +
                  " --read-only --cap-drop ALL -p 127.0.0.1::7000/tcp -p 127.0.0.1::7000/udp -v " + dir.path() +
                  ":/run/gsp -e GSP_PROXY_PORT=tcp+udp:7000 -e GSP_PROXY_SERVER_ID=42"
                  " -e GSP_PROXY_WAKE_URL=unix:/run/gsp/webhook.sock:/api/webhook/wake"
                  " -e GSP_PROXY_SECRET_FILE=/run/gsp/secret -e GSP_PROXY_PROBE_INTERVAL=100ms gsp-proxy:" +
                  kVersion,
              &rc);
    CPPUNIT_ASSERT_MESSAGE(out, rc == 0);
    std::string tcp = run("docker port " + proxy + " 7000/tcp | head -1");
    std::string udp = run("docker port " + proxy + " 7000/udp | head -1");
    CPPUNIT_ASSERT_MESSAGE(tcp, tcp.rfind("127.0.0.1:", 0) == 0 && udp.rfind("127.0.0.1:", 0) == 0);
    auto tcp_port = static_cast<uint16_t>(std::stoi(tcp.substr(10)));
    auto udp_port = static_cast<uint16_t>(std::stoi(udp.substr(10)));

    UniqueFd client;
    int64_t deadline = nowMs() + 10000;
    while (!client.valid() && nowMs() < deadline) {
      client = connectTcp(tcp_port, 1000);
      if (!client.valid()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CPPUNIT_ASSERT(client.valid());
    CPPUNIT_ASSERT(sendAll(client.get(), "hello from outside"));
    CPPUNIT_ASSERT_MESSAGE(run("docker logs " + proxy), hooks.waitForCalls("/wake", 1, 10000));
    WebhookCall wake = hooks.calls("/wake")[0];
    CPPUNIT_ASSERT(wake.signature_ok);
    CPPUNIT_ASSERT_EQUAL(std::string("42"), wake.server);
    // The "backend" starts the game container.
    CPPUNIT_ASSERT_EQUAL(0, runCommand("docker start " + game, nullptr));
    std::string got;
    CPPUNIT_ASSERT_MESSAGE(run("docker logs " + proxy), recvExact(client.get(), 18, &got, 15000));
    CPPUNIT_ASSERT_EQUAL(std::string("hello from outside"), got);

    UniqueFd u = udpSocket();
    bool echoed = false;
    for (int i = 0; i < 20 && !echoed; ++i) {
      udpSend(u.get(), udp_port, "udp through docker");
      echoed = udpRecv(u.get(), &got, 500) && got == "udp through docker";
    }
    CPPUNIT_ASSERT(echoed);
    client.reset();

    // Read-only, unprivileged, and the save file written to the volume on SIGTERM.
    CPPUNIT_ASSERT_EQUAL(std::string("true"), run("docker inspect -f '{{.HostConfig.ReadonlyRootfs}}' " + proxy));
    CPPUNIT_ASSERT_EQUAL(0, runCommand("docker stop -t 10 " + game, nullptr));
    CPPUNIT_ASSERT_EQUAL(std::string("0"), run("docker inspect -f '{{.State.ExitCode}}' " + game));
    std::string save = run("docker cp " + game + ":/data/save.json - | tar -xO");
    CPPUNIT_ASSERT_MESSAGE(save, save.find("\"starts\":1") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(save, save.find("\"joins\":") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("true"), run("docker inspect -f '{{.State.Running}}' " + proxy));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DockerImageTest);
