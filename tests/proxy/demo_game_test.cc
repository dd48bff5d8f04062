// Integration tests of gsp-demo-game on its own: echo both ways, the save
// file kept across restarts and written on SIGTERM, the CPU burner, and a
// clear failure for a data directory it cannot write.
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "proxy_harness.h"

using namespace gsp::test;

namespace {

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// CPU seconds (user + system) the process has used so far.
double cpuSeconds(pid_t pid) {
  std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream in(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

}  // namespace

class DemoGameTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DemoGameTest);
  CPPUNIT_TEST(saveFileSurvivesRestartsAndIsWrittenOnSigterm);
  CPPUNIT_TEST(burnsCpuOnlyWhenAsked);
  CPPUNIT_TEST(unwritableDataDirectoryFailsClearly);
  CPPUNIT_TEST_SUITE_END();

 public:
  void saveFileSurvivesRestartsAndIsWrittenOnSigterm() {
    ProxyHarness h;  // for its ports and temp dir; no proxy here
    for (int start = 1; start <= 2; ++start) {
      CPPUNIT_ASSERT(h.startGame());
      for (int i = 0; i < 3; ++i) {
        UniqueFd c = connectTcp(h.gamePort());
        std::string got;
        CPPUNIT_ASSERT(sendAll(c.get(), "abc") && recvExact(c.get(), 3, &got, 3000) && got == "abc");
      }
      UniqueFd u = udpSocket();
      std::string got;
      CPPUNIT_ASSERT(udpSend(u.get(), h.gamePort(), "dgram") && udpRecv(u.get(), &got, 3000) && got == "dgram");
      int status = h.stopGame(SIGTERM);
      CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
      std::string save = readFile(h.dir() + "/save.json");
      CPPUNIT_ASSERT_MESSAGE(save, save.find("\"starts\":" + std::to_string(start)) != std::string::npos);
      // startGame's readiness probe is a join too: 4 per start.
      CPPUNIT_ASSERT_MESSAGE(save, save.find("\"joins\":" + std::to_string(4 * start)) != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(save, save.find("\"bytes_echoed\":" + std::to_string(14 * start)) != std::string::npos);
    }
    std::string log = h.game().log();
    CPPUNIT_ASSERT_MESSAGE(log, log.find("player joined from 127.0.0.1") != std::string::npos);
    CPPUNIT_ASSERT_MESSAGE(log, log.find(" left") != std::string::npos);
  }

  void burnsCpuOnlyWhenAsked() {
    ProxyHarness h;
    CPPUNIT_ASSERT(h.startGame());
    pid_t pid = h.game().pid();
    auto burnt = [&](int ms) {
      double before = cpuSeconds(pid);
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
      return cpuSeconds(pid) - before;
    };
    CPPUNIT_ASSERT(burnt(500) < 0.05);
    h.game().signal(SIGUSR1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    double busy = burnt(1000);
    CPPUNIT_ASSERT_MESSAGE(std::to_string(busy), busy > 0.3);
    h.game().signal(SIGUSR1);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CPPUNIT_ASSERT(burnt(500) < 0.05);
  }

  void unwritableDataDirectoryFailsClearly() {
    TempDir dir;
    Process p;
    CPPUNIT_ASSERT(p.start({demoGameBinary(), "--tcp-port=" + std::to_string(freePort()), "--udp-port=0",
                            "--data-dir=/proc/no-such-dir"},
                           {}, dir.path() + "/game.log"));
    int status = p.stop(0, 3000);
    CPPUNIT_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    CPPUNIT_ASSERT_MESSAGE(p.log(), p.log().find("/proc/no-such-dir/save.json") != std::string::npos);
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(DemoGameTest);
