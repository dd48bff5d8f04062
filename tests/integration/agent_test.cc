// gsp-agent as the other programs meet it, started by scripts/test.sh: its
// socket refuses a user it does not answer and any malformed request (and
// keeps serving), it re-checks a job's server state whoever queued it, and a
// job survives the agent's SIGKILL. Needs GSP_TEST_AGENT_SOCKET,
// GSP_TEST_AGENT_PIDFILE and GSP_TEST_START_AGENT (a command that starts it).
#include <cppunit/extensions/HelperMacros.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include "agentapi/agent_client.h"
#include "core/crypto.h"
#include "db/database.h"
#include "db/job_repository.h"
#include "db/server_repository.h"
#include "db/user_repository.h"
#include "net_client.h"
#include "platform_test.h"
#include "test_env.h"

using namespace std::chrono_literals;
using gsp::domain::JobKind;
using gsp::domain::JobState;
using gsp::domain::ServerState;

namespace {

// One request on a fresh connection, sent as `uid` (with group `gid`) from a
// child process; the reply, or "" when the connection failed.
std::string askAs(uid_t uid, gid_t gid, const std::string& socket_path, const std::string& request) {
  int pipe_fds[2];
  CPPUNIT_ASSERT(pipe(pipe_fds) == 0);
  pid_t child = fork();
  if (child == 0) {
    close(pipe_fds[0]);
    if (setgroups(0, nullptr) != 0 || setgid(gid) != 0 || setuid(uid) != 0) _exit(3);
    int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    struct sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    strncpy(addr.sun_path, socket_path.c_str(), sizeof(addr.sun_path) - 1);
    if (connect(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) != 0) _exit(4);
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) (void)!write(pipe_fds[1], buf, static_cast<size_t>(n));
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = read(pipe_fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  return out;
}

// Raw messages on one connection of our own (root, which the agent answers).
class RawConnection {
 public:
  explicit RawConnection(const std::string& path) {
    fd_ = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    struct sockaddr_un addr = {};
    addr.sun_family = AF_UNIX;
    strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    CPPUNIT_ASSERT(connect(fd_, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) == 0);
    struct timeval tv = {10, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawConnection() { close(fd_); }
  std::string ask(const std::string& message) {
    CPPUNIT_ASSERT(send(fd_, message.data(), message.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(message.size()));
    char buf[8192];
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

 private:
  int fd_ = -1;
};

}  // namespace

class AgentTest : public gsp::test::PlatformTest {
  CPPUNIT_TEST_SUITE(AgentTest);
  CPPUNIT_TEST(refusesAUserItDoesNotAnswer);
  CPPUNIT_TEST(malformedRequestsGetAnErrorAndTheAgentGoesOn);
  CPPUNIT_TEST(aJobForAServerInTheWrongStateFails);
  CPPUNIT_TEST(jobsGoOnAfterTheDatabaseRestarts);
  CPPUNIT_TEST(aJobSurvivesTheAgentsSigkill);
  CPPUNIT_TEST(eightHibernatesStallNeitherTheSiteNorAWake);
  CPPUNIT_TEST_SUITE_END();

  std::string socket_;
  std::vector<int64_t> rows_made_;  // by serverIn(): rows without containers

 public:
  // Rows without containers are deleted again, so no later reconcile repairs them.
  void tearDown() override {
    for (int64_t id : rows_made_) gsp::db::ServerRepository(*db_).markDeleted(id, "test over");
  }

  void setUp() override {
    PlatformTest::setUp();
    socket_ = gsp::test::env("GSP_TEST_AGENT_SOCKET");
  }

  // The web user's group may connect, but only the web user is answered.
  void refusesAUserItDoesNotAnswer() {
    // getpwnam answers in one static struct: keep the numbers, not the pointer.
    struct passwd* pw = getpwnam(config_.agent_allowed_users.c_str());
    CPPUNIT_ASSERT(pw);
    const uid_t web_uid = pw->pw_uid;
    const gid_t web_gid = pw->pw_gid;
    pw = getpwnam("nobody");
    CPPUNIT_ASSERT(pw);
    const uid_t nobody_uid = pw->pw_uid;
    std::string ping = "{\"op\":\"ping\"}";
    CPPUNIT_ASSERT_EQUAL(std::string("{\"ok\":true}"), askAs(web_uid, web_gid, socket_, ping));
    // nobody in the web user's group gets through the socket's permissions, not past the agent.
    std::string as_nobody = askAs(nobody_uid, web_gid, socket_, ping);
    CPPUNIT_ASSERT_MESSAGE(as_nobody, as_nobody.find("\"code\":\"forbidden\"") != std::string::npos);
    // And the agent still answers its user.
    CPPUNIT_ASSERT_EQUAL(std::string("{\"ok\":true}"), askAs(web_uid, web_gid, socket_, ping));
  }

  void malformedRequestsGetAnErrorAndTheAgentGoesOn() {
    RawConnection c(socket_);
    const std::string bad[] = {
        "{",
        "[]",
        "null",
        "{\"op\":\"rm -rf\"}",
        "{\"op\":\"logs\",\"server\":1,\"tail\":10,\"image\":\"evil:latest\"}",
        "{\"op\":\"logs\",\"server\":-1,\"tail\":10}",
        "{\"op\":\"logs\",\"server\":\"1\",\"tail\":10}",
        "{\"op\":\"logs\",\"server\":1}",
        "{\"op\":\"stats\",\"server\":1.5}",
        "{\"op\":\"poke\",\"job\":99999999999999999999999}",
        std::string(5000, '{'),
        std::string("{\"op\":\"ping\"}\0garbage", 20),
    };
    for (const std::string& message : bad) {
      std::string reply = c.ask(message);
      CPPUNIT_ASSERT_MESSAGE(message.substr(0, 80) + " -> " + reply, reply.find("\"ok\":false") != std::string::npos);
      CPPUNIT_ASSERT_MESSAGE(reply, reply.find("\"code\":\"invalid\"") != std::string::npos);
    }
    CPPUNIT_ASSERT_EQUAL(std::string("{\"ok\":true}"), c.ask("{\"op\":\"ping\"}"));
    // A server that does not exist is a clear not-found, not a crash.
    std::string missing = c.ask("{\"op\":\"stats\",\"server\":987654321}");
    CPPUNIT_ASSERT_MESSAGE(missing, missing.find("\"code\":\"not_found\"") != std::string::npos);
  }

  // A server row of the demo game in `state`, made without the agent.
  int64_t serverIn(ServerState state) {
    const std::string email = gsp::test::uniqueEmail("agent");
    gsp::db::User u = gsp::db::UserRepository(*db_).signIn("google", email, email, 500);
    gsp::db::NewServer n;
    n.user_id = u.id;
    n.game_image_id = gsp::test::gameId(*db_, "demo-game");
    n.name = "agent-state";
    n.webhook_secret = gsp::crypto::toHex(gsp::crypto::randomBytes(32));
    n.ports = {{"tcp", 7000}};
    n.port_min = config_.servers_port_min;
    n.port_max = config_.servers_port_max;
    auto id = gsp::db::ServerRepository(*db_).create(n);
    CPPUNIT_ASSERT(id.isOk());
    rows_made_.push_back(id.value());
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).transition(id.value(), ServerState::kCreating, state, "test"));
    return id.value();
  }

  gsp::db::Job waitForJobEnd(int64_t job_id, std::chrono::seconds limit) {
    auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      auto job = gsp::db::JobRepository(*db_).find(job_id);
      CPPUNIT_ASSERT(job.has_value());
      if (job->state == JobState::kDone || job->state == JobState::kFailed) return *job;
      std::this_thread::sleep_for(100ms);
    }
    CPPUNIT_FAIL("job " + std::to_string(job_id) + " never ended");
    return {};
  }

  // Whoever writes a job row (a compromised web tier, say), the agent acts
  // only when the server's state allows it.
  void aJobForAServerInTheWrongStateFails() {
    int64_t sleeping = serverIn(ServerState::kSleeping);
    gsp::agentapi::AgentClient agent(socket_, 10s);
    auto job = gsp::db::JobRepository(*db_).enqueue(sleeping, JobKind::kHibernate, "forged");
    CPPUNIT_ASSERT(job.isOk());
    CPPUNIT_ASSERT(agent.poke(job.value()).isOk());
    gsp::db::Job ended = waitForJobEnd(job.value(), 30s);
    CPPUNIT_ASSERT_MESSAGE(ended.message, ended.state == JobState::kDone);  // already asleep: nothing done
    CPPUNIT_ASSERT(ended.message.find("already SLEEPING") != std::string::npos);

    int64_t creating = serverIn(ServerState::kDeleting);
    auto wake = gsp::db::JobRepository(*db_).enqueue(creating, JobKind::kWake, "forged");
    CPPUNIT_ASSERT(wake.isOk());
    CPPUNIT_ASSERT(agent.poke(wake.value()).isOk());
    ended = waitForJobEnd(wake.value(), 30s);
    CPPUNIT_ASSERT_MESSAGE(ended.message, ended.state == JobState::kFailed);
    CPPUNIT_ASSERT_MESSAGE(ended.message, ended.message.find("being deleted") != std::string::npos);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(creating)->state == ServerState::kDeleting);
  }

  // MariaDB restarts under the agent: every worker's connection is dead. The
  // next jobs still run, each once, on new connections.
  void jobsGoOnAfterTheDatabaseRestarts() {
    std::vector<int64_t> servers;
    for (int i = 0; i < 10; ++i) servers.push_back(serverIn(ServerState::kSleeping));
    int status = 0;
    std::string out = gsp::test::runCommand(gsp::test::env("GSP_TEST_RESTART_DB"), &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    db_->disconnect();
    gsp::agentapi::AgentClient agent(socket_, 10s);
    std::vector<int64_t> jobs;
    for (int64_t id : servers) {
      auto job = gsp::db::JobRepository(*db_).enqueue(id, JobKind::kHibernate, "after the restart");
      CPPUNIT_ASSERT(job.isOk());
      jobs.push_back(job.value());
      agent.poke(job.value());
    }
    for (int64_t job : jobs) {
      gsp::db::Job ended = waitForJobEnd(job, 60s);
      CPPUNIT_ASSERT_MESSAGE(ended.message, ended.state == JobState::kDone);
      CPPUNIT_ASSERT_EQUAL(1, ended.attempts);
    }
  }

  int agentPid() {
    std::ifstream in(gsp::test::env("GSP_TEST_AGENT_PIDFILE"));
    int pid = 0;
    in >> pid;
    CPPUNIT_ASSERT(pid > 0);
    return pid;
  }

  // A hibernate whose game takes 4 s to save; the agent is killed while it waits.
  void aJobSurvivesTheAgentsSigkill() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("sigkill"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game-slow-save"), "sigkill");
    int port = gsp::db::ServerRepository(*db_).find(id)->ports[0].public_port;
    CPPUNIT_ASSERT_EQUAL(std::string("hi\n"), gsp::test::tcpRoundTrip(port, "hi\n", 60s));
    gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);

    gsp::test::HttpResponse r = c.post("/servers/" + std::to_string(id) + "/hibernate",
                                       "csrf_token=" + gsp::test::csrfOf(c));
    CPPUNIT_ASSERT_EQUAL(303L, r.status);
    gsp::test::waitForState(*db_, id, ServerState::kStopping, 30s);
    std::this_thread::sleep_for(500ms);  // the engine is now waiting for the game's save
    auto job = gsp::db::JobRepository(*db_).latestForServer(id);
    CPPUNIT_ASSERT(job && job->kind == JobKind::kHibernate && job->state == JobState::kRunning);

    int pid = agentPid();
    CPPUNIT_ASSERT(kill(pid, SIGKILL) == 0);
    for (int i = 0; i < 50 && kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(100ms);
    CPPUNIT_ASSERT(gsp::db::JobRepository(*db_).find(job->id)->state == JobState::kRunning);

    int status = 0;
    std::string out = gsp::test::runCommand(gsp::test::env("GSP_TEST_START_AGENT"), &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    gsp::db::Job ended = waitForJobEnd(job->id, 60s);
    CPPUNIT_ASSERT_MESSAGE(ended.message, ended.state == JobState::kDone);
    CPPUNIT_ASSERT_EQUAL(2, ended.attempts);
    gsp::test::waitForState(*db_, id, ServerState::kSleeping, 10s);
    // Run once in effect: one STOPPING and one SLEEPING in the history for this hibernate.
    auto rs = db_->sql("SELECT SUM(to_state = 'STOPPING'), SUM(to_state = 'SLEEPING' AND from_state = 'STOPPING') "
                       "FROM server_events WHERE server_id = ?").arg(id).rows();
    CPPUNIT_ASSERT(rs->next());
    CPPUNIT_ASSERT_EQUAL(1, rs->getInt(1));
    CPPUNIT_ASSERT_EQUAL(1, rs->getInt(2));
    // The world was saved: the game container exited cleanly.
    gsp::test::HttpResponse gone = c.post("/servers/" + std::to_string(id) + "/delete",
                                          "csrf_token=" + gsp::test::csrfOf(c) + "&confirm_name=sigkill");
    CPPUNIT_ASSERT_EQUAL(303L, gone.status);
    gsp::test::waitUntilDeleted(*db_, id, 60s);
  }

  // Eight games that each take 4 s to save are put to sleep at once. Before any
  // of them is asleep, the dashboard answers and a player's connection to a
  // ninth, sleeping server wakes it and gets its echo: slow jobs never take the
  // workers a wake needs, and no web worker waits on a container.
  void eightHibernatesStallNeitherTheSiteNorAWake() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("eight"));
    const int slow_game = gsp::test::gameId(*db_, "demo-game-slow-save");
    std::vector<int64_t> busy;
    for (int i = 0; i < 8; ++i) busy.push_back(gsp::test::createServer(c, *db_, slow_game, "busy-" + std::to_string(i)));
    int64_t sleeper = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "sleeper");
    for (int64_t id : busy) {
      int port = gsp::db::ServerRepository(*db_).find(id)->ports[0].public_port;
      CPPUNIT_ASSERT_EQUAL(std::string("up\n"), gsp::test::tcpRoundTrip(port, "up\n", 60s));
    }
    for (int64_t id : busy) gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);

    std::string csrf = gsp::test::csrfOf(c);
    for (int64_t id : busy) {
      gsp::test::HttpResponse r = c.post("/servers/" + std::to_string(id) + "/hibernate", "csrf_token=" + csrf);
      CPPUNIT_ASSERT_EQUAL(303L, r.status);  // queued; the request does not wait for the game to save
    }
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/dashboard").status);
    int port = gsp::db::ServerRepository(*db_).find(sleeper)->ports[0].public_port;
    CPPUNIT_ASSERT_EQUAL(std::string("me first\n"), gsp::test::tcpRoundTrip(port, "me first\n", 30s));
    int done = 0;
    for (int64_t id : busy) {
      auto job = gsp::db::JobRepository(*db_).latestForServer(id);
      CPPUNIT_ASSERT(job && job->kind == JobKind::kHibernate);
      done += job->state == JobState::kDone ? 1 : 0;
    }
    CPPUNIT_ASSERT_EQUAL_MESSAGE("hibernates that ended before the wake was served", 0, done);
    // And all of them do end, asleep.
    for (int64_t id : busy) gsp::test::waitForState(*db_, id, ServerState::kSleeping, 60s);
    for (size_t i = 0; i < busy.size(); ++i)
      c.post("/servers/" + std::to_string(busy[i]) + "/delete", "csrf_token=" + csrf + "&confirm_name=busy-" + std::to_string(i));
    c.post("/servers/" + std::to_string(sleeper) + "/delete", "csrf_token=" + csrf + "&confirm_name=sleeper");
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(AgentTest);
