// DockerClient against FakeDockerServer: version negotiation as seen on the
// wire, and the faults a real engine will not produce on demand. Every call
// must come back with a clear error value, within its deadline, never crash.
#include <cppunit/extensions/HelperMacros.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "docker/curl_unix_transport.h"
#include "docker/docker_client.h"
#include "fake_docker_server.h"

using gsp::Status;
using gsp::docker::CurlUnixTransport;
using gsp::docker::CurlUnixTransportOptions;
using gsp::docker::DockerClient;
using gsp::docker::DockerClientOptions;
using gsp::docker::ErrorKind;
using gsp::docker::LabelFilter;
using gsp::docker::LogOptions;
using gsp::docker::LogStream;
using gsp::docker::testing::FakeDockerServer;
using Kind = FakeDockerServer::Reply::Kind;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr auto kTimeout = 400ms;

std::unique_ptr<DockerClient> clientFor(const std::string& socket) {
  CurlUnixTransportOptions t;
  t.socket_path = socket;
  t.connect_timeout = kTimeout;
  t.default_timeout = kTimeout;
  DockerClientOptions o;
  o.stats_timeout = kTimeout;
  o.archive_timeout = kTimeout;
  o.stop_margin = kTimeout;
  return std::make_unique<DockerClient>(std::make_unique<CurlUnixTransport>(t), o);
}

// An engine that speaks 1.41 and answers `reply` to everything else.
FakeDockerServer::Handler engine(const FakeDockerServer::Reply& reply) {
  return [reply](const FakeDockerServer::Request& r) {
    if (r.target == "/version") return FakeDockerServer::version("1.41", "1.12");
    return reply;
  };
}

std::string frame(int stream, const std::string& payload) {
  std::string f(8, '\0');
  f[0] = static_cast<char>(stream);
  f[7] = static_cast<char>(payload.size());  // test payloads are short
  return f + payload;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

long long msSince(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count();
}

}  // namespace

class DockerClientFaultTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(DockerClientFaultTest);
  CPPUNIT_TEST(negotiatesOnceAndPrefixesEveryPath);
  CPPUNIT_TEST(speaksToANewEngineAtItsMinimum);
  CPPUNIT_TEST(refusesAnEngineTooOld);
  CPPUNIT_TEST(retriesNegotiationAfterAFailure);
  CPPUNIT_TEST(carriesTheEnginesErrorMessageAndStatus);
  CPPUNIT_TEST(garbageJsonIsABadResponse);
  CPPUNIT_TEST(anAnswerThatNeverComesTimesOut);
  CPPUNIT_TEST(aBodyThatStallsTimesOut);
  CPPUNIT_TEST(aConnectionClosedMidBodyIsABadResponse);
  CPPUNIT_TEST(notHttpAtAllIsABadResponse);
  CPPUNIT_TEST(aMissingEngineIsUnreachable);
  CPPUNIT_TEST(sendsTheRequestsTheEngineExpects);
  CPPUNIT_TEST(alreadyStartedOrStoppedIsFine);
  CPPUNIT_TEST(demultiplexesLogsAndRejectsAnUnframedStream);
  CPPUNIT_TEST(writesArchivesAndRemovesHalfOnes);
  CPPUNIT_TEST(emptyIdsNeverReachTheEngine);
  CPPUNIT_TEST(servesSeveralThreadsAtOnce);
  CPPUNIT_TEST_SUITE_END();

 public:
  void negotiatesOnceAndPrefixesEveryPath() {
    FakeDockerServer server(engine(FakeDockerServer::json(200, R"({"Id": "abc", "State": {"Status": "running"}})")));
    auto client = clientFor(server.socketPath());
    CPPUNIT_ASSERT(client->inspectContainer("abc").isOk());
    CPPUNIT_ASSERT(client->inspectContainer("abc").isOk());
    auto requests = server.requests();
    CPPUNIT_ASSERT_EQUAL(size_t(3), requests.size());
    CPPUNIT_ASSERT_EQUAL(std::string("/version"), requests[0].target);
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.41/containers/abc/json"), requests[1].target);
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.41/containers/abc/json"), requests[2].target);
  }

  void speaksToANewEngineAtItsMinimum() {
    // Engine 29.x: API 1.44 at the lowest, 1.52 at the highest; we speak up to 1.47.
    FakeDockerServer server([](const FakeDockerServer::Request& r) {
      if (r.target == "/version") return FakeDockerServer::version("1.52", "1.44");
      return FakeDockerServer::json(200, "[]");
    });
    auto client = clientFor(server.socketPath());
    auto list = client->listContainers(LabelFilter());
    CPPUNIT_ASSERT_MESSAGE(list.status().message(), list.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("1.47"), client->negotiate()->toString());
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.47/containers/json?all=1"), server.requests().back().target);
  }

  void refusesAnEngineTooOld() {
    FakeDockerServer server([](const FakeDockerServer::Request& r) {
      if (r.target == "/version") return FakeDockerServer::version("1.40", "1.12");
      return FakeDockerServer::json(200, "[]");
    });
    auto client = clientFor(server.socketPath());
    auto list = client->listContainers(LabelFilter());
    CPPUNIT_ASSERT(!list.isOk());
    CPPUNIT_ASSERT(list.error().kind() == ErrorKind::kIncompatible);
    CPPUNIT_ASSERT_MESSAGE(list.status().message(), contains(list.status().message(), "too old"));
    CPPUNIT_ASSERT_EQUAL(size_t(1), server.requests().size());  // nothing sent in a wrong version
  }

  void retriesNegotiationAfterAFailure() {
    std::atomic<int> version_calls{0};
    FakeDockerServer server([&](const FakeDockerServer::Request& r) {
      if (r.target == "/version") {
        return ++version_calls == 1 ? FakeDockerServer::engineError(500, "starting up")
                                    : FakeDockerServer::version("1.41", "1.12");
      }
      return FakeDockerServer::json(200, "[]");
    });
    auto client = clientFor(server.socketPath());
    auto first = client->listNetworks(LabelFilter());
    CPPUNIT_ASSERT(!first.isOk());
    CPPUNIT_ASSERT_MESSAGE(first.status().message(), contains(first.status().message(), "starting up"));
    CPPUNIT_ASSERT(client->listNetworks(LabelFilter()).isOk());
  }

  void carriesTheEnginesErrorMessageAndStatus() {
    struct { int status; const char* message; Status::Code code; } cases[] = {
        {404, "No such container: abc", Status::Code::kNotFound},
        {409, "Conflict. The container name \"/abc\" is already in use", Status::Code::kConflict},
        {500, "driver failed programming external connectivity", Status::Code::kInternal},
        {400, "invalid mount config", Status::Code::kInvalid},
    };
    for (const auto& c : cases) {
      FakeDockerServer server(engine(FakeDockerServer::engineError(c.status, c.message)));
      auto client = clientFor(server.socketPath());
      auto r = client->inspectContainer("abc");
      CPPUNIT_ASSERT(!r.isOk());
      CPPUNIT_ASSERT(r.error().kind() == ErrorKind::kEngine);
      CPPUNIT_ASSERT_EQUAL(c.status, r.error().httpStatus());
      CPPUNIT_ASSERT_EQUAL(std::string(c.message), r.error().engineMessage());
      CPPUNIT_ASSERT(r.status().code() == c.code);
      CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "inspect container abc"));
      // Calls without a value say the same.
      auto s = client->removeContainer("abc");
      CPPUNIT_ASSERT_EQUAL(c.status, s.error().httpStatus());
      CPPUNIT_ASSERT_EQUAL(std::string(c.message), s.error().engineMessage());
    }
    // An error answer that is not JSON is quoted.
    FakeDockerServer proxy(engine(FakeDockerServer::json(502, "<html>Bad Gateway</html>")));
    auto r = clientFor(proxy.socketPath())->inspectContainer("abc");
    CPPUNIT_ASSERT_EQUAL(502, r.error().httpStatus());
    CPPUNIT_ASSERT(contains(r.status().message(), "<html>Bad Gateway</html>"));
  }

  void garbageJsonIsABadResponse() {
    for (const char* garbage : {"{not json", "", "\xff\xfe", "[1, 2", "null"}) {
      FakeDockerServer server(engine(FakeDockerServer::json(200, garbage)));
      auto client = clientFor(server.socketPath());
      auto r = client->inspectContainer("abc");
      CPPUNIT_ASSERT(!r.isOk());
      CPPUNIT_ASSERT(r.error().kind() == ErrorKind::kBadResponse);
      CPPUNIT_ASSERT(r.status().code() == Status::Code::kInternal);
      CPPUNIT_ASSERT(!client->listContainers(LabelFilter()).isOk());
      CPPUNIT_ASSERT(!client->containerStats("abc").isOk());
      CPPUNIT_ASSERT(!client->createVolume({"v", {}}).isOk());
    }
    // Garbage from /version stops the negotiation, clearly.
    FakeDockerServer server([](const FakeDockerServer::Request&) { return FakeDockerServer::json(200, "{{{"); });
    auto r = clientFor(server.socketPath())->listVolumes(LabelFilter());
    CPPUNIT_ASSERT(r.error().kind() == ErrorKind::kBadResponse);
    CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "bad JSON"));
  }

  void anAnswerThatNeverComesTimesOut() {
    FakeDockerServer server(engine(FakeDockerServer::fault(Kind::kNeverAnswer)));
    auto client = clientFor(server.socketPath());
    CPPUNIT_ASSERT(client->negotiate().isOk());
    const auto started = Clock::now();
    auto r = client->inspectContainer("abc");
    const long long ms = msSince(started);
    CPPUNIT_ASSERT(!r.isOk());
    CPPUNIT_ASSERT(r.error().kind() == ErrorKind::kTimeout);
    CPPUNIT_ASSERT(r.status().code() == Status::Code::kUnavailable);
    CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "within 400 ms"));
    CPPUNIT_ASSERT_MESSAGE(std::to_string(ms), ms >= 350 && ms < 1400);
    // Calls with their own deadline keep to it too.
    const auto stats_started = Clock::now();
    CPPUNIT_ASSERT(client->containerStats("abc").error().kind() == ErrorKind::kTimeout);
    CPPUNIT_ASSERT(msSince(stats_started) < 1400);
  }

  void aBodyThatStallsTimesOut() {
    const std::string logs = frame(1, "2024-05-01T12:00:00Z a\n") + frame(1, "2024-05-01T12:00:00Z b\n");
    FakeDockerServer server(engine(FakeDockerServer::fault(Kind::kStallMidBody, logs)));
    auto client = clientFor(server.socketPath());
    const auto started = Clock::now();
    auto r = client->containerLogs("abc", LogOptions());
    CPPUNIT_ASSERT(r.error().kind() == ErrorKind::kTimeout);
    CPPUNIT_ASSERT(msSince(started) < 1400);
  }

  void aConnectionClosedMidBodyIsABadResponse() {
    FakeDockerServer server(engine(FakeDockerServer::fault(
        Kind::kCloseMidBody, R"({"Id": "abc", "State": {"Status": "running", "Running": true}})")));
    auto client = clientFor(server.socketPath());
    auto r = client->inspectContainer("abc");
    CPPUNIT_ASSERT(r.error().kind() == ErrorKind::kBadResponse);
    CPPUNIT_ASSERT_MESSAGE(r.status().message(), contains(r.status().message(), "inspect container abc"));
    // The same while streaming into a sink.
    auto logs = client->containerLogs("abc", LogOptions());
    CPPUNIT_ASSERT(logs.error().kind() == ErrorKind::kBadResponse);
  }

  void notHttpAtAllIsABadResponse() {
    for (const char* raw : {"hello there\r\n\r\n", "", "HTTP/1.1 abc\r\n\r\n"}) {
      FakeDockerServer server(engine(FakeDockerServer::fault(Kind::kRaw, raw)));
      auto client = clientFor(server.socketPath());
      auto r = client->inspectContainer("abc");
      CPPUNIT_ASSERT_MESSAGE(raw, r.error().kind() == ErrorKind::kBadResponse);
    }
  }

  void aMissingEngineIsUnreachable() {
    auto client = clientFor("/tmp/gsp-no-such-dir/docker.sock");
    auto r = client->ping();
    CPPUNIT_ASSERT(r.error().kind() == ErrorKind::kUnreachable);
    CPPUNIT_ASSERT(r.code() == Status::Code::kUnavailable);
    CPPUNIT_ASSERT_MESSAGE(r.message(), contains(r.message(), "unix:///tmp/gsp-no-such-dir/docker.sock"));
    CPPUNIT_ASSERT_MESSAGE(r.message(), contains(r.message(), "is dockerd running?"));
    CPPUNIT_ASSERT(client->inspectContainer("abc").error().kind() == ErrorKind::kUnreachable);

    // A socket file nobody listens on (a dead engine's leftover).
    char dir[] = "/tmp/gsp-dead-docker-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(dir));
    const std::string path = std::string(dir) + "/docker.sock";
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    CPPUNIT_ASSERT_EQUAL(0, ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr));
    ::close(fd);
    auto dead = clientFor(path)->version();
    CPPUNIT_ASSERT(dead.error().kind() == ErrorKind::kUnreachable);
    ::unlink(path.c_str());
    ::rmdir(dir);
  }

  void sendsTheRequestsTheEngineExpects() {
    FakeDockerServer server([](const FakeDockerServer::Request& r) {
      if (r.target == "/version") return FakeDockerServer::version("1.41", "1.12");
      if (r.method == "POST") return FakeDockerServer::json(201, R"({"Id": "new1", "Warnings": ["w"], "Name": "v"})");
      if (r.method == "DELETE") return FakeDockerServer::json(204, "");
      if (r.target.find("/images/") != std::string::npos) return FakeDockerServer::json(200, R"({"Id": "sha256:1"})");
      return FakeDockerServer::json(200, "[]");
    });
    auto client = clientFor(server.socketPath());
    gsp::docker::ContainerSpec spec;
    spec.name = "gsp-7 game";
    spec.image = "gsp/game";
    auto created = client->createContainer(spec);
    CPPUNIT_ASSERT(created.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("new1"), created->id);
    CPPUNIT_ASSERT_EQUAL(size_t(1), created->warnings.size());
    auto req = server.requests().back();
    CPPUNIT_ASSERT_EQUAL(std::string("POST"), req.method);
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.41/containers/create?name=gsp-7%20game"), req.target);
    CPPUNIT_ASSERT_EQUAL(std::string("gsp/game"), nlohmann::json::parse(req.body)["Image"].get<std::string>());

    CPPUNIT_ASSERT(client->listContainers(LabelFilter().has("gsp.managed").equals("gsp.server_id", "7")).isOk());
    CPPUNIT_ASSERT_EQUAL(
        std::string("/v1.41/containers/json?all=1&filters=%7B%22label%22%3A%5B%22gsp.managed%22%2C%22gsp.server_id%3D7%22%5D%7D"),
        server.requests().back().target);
    CPPUNIT_ASSERT(client->removeContainer("abc", {true, true}).isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.41/containers/abc?force=1&v=1"), server.requests().back().target);
    CPPUNIT_ASSERT_EQUAL(std::string("DELETE"), server.requests().back().method);
    CPPUNIT_ASSERT(client->createNetwork({"gsp-7", true, {{"gsp.managed", "true"}}, ""}).isOk());
    auto net = nlohmann::json::parse(server.requests().back().body);
    CPPUNIT_ASSERT_EQUAL(true, net["Internal"].get<bool>());
    CPPUNIT_ASSERT_EQUAL(std::string("true"), net["Labels"]["gsp.managed"].get<std::string>());
    CPPUNIT_ASSERT(!net.contains("IPAM"));  // no subnet: the engine's default pools
    CPPUNIT_ASSERT(client->createNetwork({"gsp-8", false, {}, "10.201.0.16/28"}).isOk());
    net = nlohmann::json::parse(server.requests().back().body);
    CPPUNIT_ASSERT_EQUAL(std::string("default"), net["IPAM"]["Driver"].get<std::string>());
    CPPUNIT_ASSERT_EQUAL(std::string("10.201.0.16/28"), net["IPAM"]["Config"][0]["Subnet"].get<std::string>());
    auto exists = client->imageExists("gsp/proxy:latest");
    CPPUNIT_ASSERT(exists.isOk() && exists.value());
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.41/images/gsp/proxy:latest/json"), server.requests().back().target);
    CPPUNIT_ASSERT(client->getArchive("abc", "/data dir", [](const char*, size_t) { return true; }).isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.41/containers/abc/archive?path=%2Fdata%20dir"), server.requests().back().target);
    LogOptions since;
    since.since_unix_nanos = 1714564800000000001LL;
    since.tail = 50;
    client->containerLogs("abc", since);
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.41/containers/abc/logs?stdout=1&stderr=1&timestamps=1&follow=0&tail=50&since=1714564800.000000001"),
                         server.requests().back().target);
  }

  void alreadyStartedOrStoppedIsFine() {
    FakeDockerServer server(engine(FakeDockerServer::json(304, "")));
    auto client = clientFor(server.socketPath());
    CPPUNIT_ASSERT(client->startContainer("abc").isOk());
    CPPUNIT_ASSERT(client->stopContainer("abc", 30s).isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("/v1.41/containers/abc/stop?t=30"), server.requests().back().target);
    // 304 means nothing for a kill.
    CPPUNIT_ASSERT(!client->killContainer("abc").isOk());
  }

  void demultiplexesLogsAndRejectsAnUnframedStream() {
    const std::string framed = frame(1, "2024-05-01T12:00:00Z out\n") + frame(2, "2024-05-01T12:00:01Z err\n");
    FakeDockerServer good(engine(FakeDockerServer::json(200, framed)));
    auto lines = clientFor(good.socketPath())->containerLogs("abc", LogOptions());
    CPPUNIT_ASSERT(lines.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(2), lines->size());
    CPPUNIT_ASSERT(lines.value()[1].stream == LogStream::kStderr);
    CPPUNIT_ASSERT_EQUAL(std::string("err"), lines.value()[1].text);

    FakeDockerServer tty(engine(FakeDockerServer::json(200, "raw tty text\n")));
    auto bad = clientFor(tty.socketPath())->containerLogs("abc", LogOptions());
    CPPUNIT_ASSERT(bad.error().kind() == ErrorKind::kBadResponse);
    CPPUNIT_ASSERT_MESSAGE(bad.status().message(), contains(bad.status().message(), "not framed"));

    FakeDockerServer cut(engine(FakeDockerServer::json(200, framed.substr(0, framed.size() - 3))));
    auto truncated = clientFor(cut.socketPath())->containerLogs("abc", LogOptions());
    CPPUNIT_ASSERT_MESSAGE(truncated.status().message(), contains(truncated.status().message(), "ended inside a frame"));

    LogOptions small;
    small.max_bytes = 10;
    auto big = clientFor(good.socketPath())->containerLogs("abc", small);
    CPPUNIT_ASSERT_MESSAGE(big.status().message(), contains(big.status().message(), "exceed 10 bytes"));
  }

  void writesArchivesAndRemovesHalfOnes() {
    std::string tar(3000, '\0');
    for (size_t i = 0; i < tar.size(); ++i) tar[i] = static_cast<char>(i * 7);
    char dir[] = "/tmp/gsp-archive-test-XXXXXX";
    CPPUNIT_ASSERT(mkdtemp(dir));
    const std::string file = std::string(dir) + "/backup.tar";

    FakeDockerServer good(engine(FakeDockerServer::json(200, tar)));
    CPPUNIT_ASSERT(clientFor(good.socketPath())->getArchiveToFile("abc", "/data", file).isOk());
    std::ifstream in(file, std::ios::binary);
    std::stringstream got;
    got << in.rdbuf();
    CPPUNIT_ASSERT(got.str() == tar);

    struct stat st;
    FakeDockerServer cut(engine(FakeDockerServer::fault(Kind::kCloseMidBody, tar)));
    auto r = clientFor(cut.socketPath())->getArchiveToFile("abc", "/data", file);
    CPPUNIT_ASSERT(r.error().kind() == ErrorKind::kBadResponse);
    CPPUNIT_ASSERT(::stat(file.c_str(), &st) != 0);

    FakeDockerServer missing(engine(FakeDockerServer::engineError(404, "Could not find the file /data in container abc")));
    auto m = clientFor(missing.socketPath())->getArchiveToFile("abc", "/data", file);
    CPPUNIT_ASSERT(m.error().isNotFound());
    CPPUNIT_ASSERT(::stat(file.c_str(), &st) != 0);

    // A receiver that throws ends the transfer; the exception stays out of libcurl.
    auto thrown = clientFor(good.socketPath())->getArchive("abc", "/data", [](const char*, size_t) -> bool {
      throw std::runtime_error("disk full");
    });
    CPPUNIT_ASSERT(thrown.error().kind() == ErrorKind::kLocal);

    auto nowhere = clientFor(good.socketPath())->getArchiveToFile("abc", "/data", std::string(dir) + "/no/such/dir/x.tar");
    CPPUNIT_ASSERT(nowhere.error().kind() == ErrorKind::kLocal);
    ::rmdir(dir);
  }

  void emptyIdsNeverReachTheEngine() {
    FakeDockerServer server(engine(FakeDockerServer::json(200, "[]")));
    auto client = clientFor(server.socketPath());
    CPPUNIT_ASSERT(client->inspectContainer("").error().kind() == ErrorKind::kLocal);
    CPPUNIT_ASSERT(client->removeContainer("").error().kind() == ErrorKind::kLocal);
    CPPUNIT_ASSERT(client->removeNetwork("").error().kind() == ErrorKind::kLocal);
    CPPUNIT_ASSERT(client->removeVolume("").error().kind() == ErrorKind::kLocal);
    CPPUNIT_ASSERT(client->createContainer({}).error().kind() == ErrorKind::kLocal);
    CPPUNIT_ASSERT(server.requests().empty());
  }

  void servesSeveralThreadsAtOnce() {
    FakeDockerServer server(engine(FakeDockerServer::json(200, R"({"Id": "abc", "State": {"Status": "exited"}})")));
    auto client = clientFor(server.socketPath());
    std::atomic<int> ok{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        for (int i = 0; i < 10; ++i) ok += client->inspectContainer("abc").isOk() ? 1 : 0;
      });
    }
    for (auto& t : threads) t.join();
    CPPUNIT_ASSERT_EQUAL(40, ok.load());
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(DockerClientFaultTest);
