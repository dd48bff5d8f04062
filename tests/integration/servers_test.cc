// The product's main loop on the real Docker engine, through nginx: create a
// Demo Game server, wake it with a TCP and a UDP client, hibernate, delete;
// ownership; signed webhooks. Needs (set by scripts/test.sh): GSP_TEST_BASE_URL,
// GSP_TEST_CONFIG, GSP_TEST_WEBHOOK_SOCKET, a running engine and the images.
#include <cppunit/extensions/HelperMacros.h>

#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <ctime>
#include <thread>

#include "core/crypto.h"
#include "db/catalog_repository.h"
#include "db/database.h"
#include "db/ledger_repository.h"
#include "db/server_repository.h"
#include "docker/docker_client.h"
#include "http_client.h"
#include "net_client.h"
#include "orchestration/docker_orchestrator.h"
#include "platform_test.h"
#include "test_env.h"

using namespace std::chrono_literals;
using gsp::domain::ServerState;
using gsp::test::formField;
using gsp::test::HttpClient;
using gsp::test::HttpResponse;
using gsp::test::urlEncode;

class ServersTest : public gsp::test::PlatformTest {
  CPPUNIT_TEST_SUITE(ServersTest);
  CPPUNIT_TEST(createWakeHibernateDelete);
  CPPUNIT_TEST(udpClientWakesTheServer);
  CPPUNIT_TEST(aSleepingServerAnswersSteamQueriesUnderItsName);
  CPPUNIT_TEST(wakesByTrafficNobodyPlaysThroughPauseUntilTheOwnerStartsIt);
  CPPUNIT_TEST(anotherUserGets404EverywhereAndChangesNothing);
  CPPUNIT_TEST(forgedWebhooksAreRefused);
  CPPUNIT_TEST(cachedDashboardFollowsWebhooks);
  CPPUNIT_TEST(badCreateFormsCreateNothing);
  CPPUNIT_TEST(aUserCannotPassTheServerLimitButAnAdminCan);
  CPPUNIT_TEST_SUITE_END();

 public:
  int demoGameId() { return gsp::test::gameId(*db_, "demo-game"); }

  // Creates a Demo Game server through the form and waits until it is made; returns its id.
  int64_t createServer(HttpClient& c, const std::string& name) {
    return gsp::test::createServer(c, *db_, demoGameId(), name);
  }

  gsp::db::ServerRecord server(int64_t id) {
    auto s = gsp::db::ServerRepository(*db_).find(id);
    CPPUNIT_ASSERT(s.has_value());
    return *s;
  }

  void waitForState(int64_t id, ServerState state, std::chrono::seconds limit) {
    gsp::test::waitForState(*db_, id, state, limit);
  }

  bool containerRunning(const std::string& id) {
    auto info = docker_->inspectContainer(id);
    CPPUNIT_ASSERT_MESSAGE(info.status().message(), info.isOk());
    return info->state.running;
  }

  std::string post(HttpClient& c, const std::string& path, const std::string& fields = "") {
    HttpResponse r = c.post(path, "csrf_token=" + gsp::test::csrfOf(c) + fields);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 303L, r.status);
    return r.header("location");
  }

  void createWakeHibernateDelete() {
    HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("loop"));
    int64_t id = createServer(c, "Loop test");
    gsp::db::ServerRecord s = server(id);
    CPPUNIT_ASSERT(s.state == ServerState::kSleeping);
    CPPUNIT_ASSERT(containerRunning(s.proxy_container_id));
    CPPUNIT_ASSERT(!containerRunning(s.game_container_id));
    CPPUNIT_ASSERT_EQUAL(size_t(2), s.ports.size());  // TCP and UDP 7000 share one public number
    CPPUNIT_ASSERT_EQUAL(s.ports[0].public_port, s.ports[1].public_port);
    int port = s.ports[0].public_port;
    HttpResponse page = c.get("/servers/" + std::to_string(id));
    CPPUNIT_ASSERT(page.body.find(config_.servers_public_host + ":" + std::to_string(port)) != std::string::npos);
    CPPUNIT_ASSERT(page.body.find("SLEEPING") != std::string::npos);

    // A player connects: held, the server wakes, the bytes come back echoed.
    std::string echoed = gsp::test::tcpRoundTrip(port, "hello from a player\n", 60s);
    CPPUNIT_ASSERT_EQUAL(std::string("hello from a player\n"), echoed);
    waitForState(id, ServerState::kRunning, 60s);
    CPPUNIT_ASSERT(containerRunning(s.game_container_id));
    CPPUNIT_ASSERT(c.get("/servers/" + std::to_string(id)).body.find("woken by a player") != std::string::npos);
    // The jobs say who asked: its owner created it, a player (no user) woke it.
    auto asked = db_->sql("SELECT kind, COALESCE(requested_by_user_id, 0) = s.user_id, cause FROM jobs j "
                          "JOIN servers s ON s.id = j.server_id WHERE j.server_id = ? ORDER BY j.id").arg(id).rows();
    CPPUNIT_ASSERT(asked->next());
    CPPUNIT_ASSERT_EQUAL(std::string("CREATE"), std::string(asked->getString(1)));
    CPPUNIT_ASSERT(asked->getBoolean(2));
    CPPUNIT_ASSERT(asked->next());
    CPPUNIT_ASSERT_EQUAL(std::string("WAKE"), std::string(asked->getString(1)));
    CPPUNIT_ASSERT(!asked->getBoolean(2));
    CPPUNIT_ASSERT(std::string(asked->getString(3)).find("woken by a player") == 0);
    HttpResponse status = c.get("/servers/" + std::to_string(id) + "/status");
    CPPUNIT_ASSERT(status.body.find("\"state\":\"RUNNING\"") != std::string::npos);
    // Live usage: the demo game burns CPU after SIGUSR1 (its catalog limit is a
    // quarter of a CPU), and the status figure follows within a few polls.
    CPPUNIT_ASSERT(docker_->killContainer(s.game_container_id, "SIGUSR1").isOk());
    double cpu = 0;
    for (int i = 0; i < 20 && cpu < 10; ++i) {
      std::this_thread::sleep_for(1000ms);
      nlohmann::json j = nlohmann::json::parse(c.get("/servers/" + std::to_string(id) + "/status").body);
      CPPUNIT_ASSERT_MESSAGE(j.dump(), j.contains("stats"));
      cpu = j["stats"]["cpu_percent"].get<double>();
      CPPUNIT_ASSERT(j["stats"]["memory_bytes"].get<int64_t>() > 0);
    }
    CPPUNIT_ASSERT_MESSAGE("cpu " + std::to_string(cpu), cpu >= 10 && cpu <= 40);
    CPPUNIT_ASSERT(docker_->killContainer(s.game_container_id, "SIGUSR1").isOk());
    HttpResponse logs = c.get("/servers/" + std::to_string(id) + "/logs?tail=50");
    CPPUNIT_ASSERT_EQUAL(200L, logs.status);
    CPPUNIT_ASSERT(logs.body.find("\"lines\"") != std::string::npos);

    // Hibernate: the game stops, the proxy stays.
    post(c, "/servers/" + std::to_string(id) + "/hibernate");
    waitForState(id, ServerState::kSleeping, 60s);
    CPPUNIT_ASSERT(!containerRunning(s.game_container_id));
    CPPUNIT_ASSERT(containerRunning(s.proxy_container_id));

    // Delete asks for the name; a wrong one changes nothing.
    post(c, "/servers/" + std::to_string(id) + "/delete", "&confirm_name=wrong");
    CPPUNIT_ASSERT(server(id).state == ServerState::kSleeping);
    CPPUNIT_ASSERT_EQUAL(std::string("/dashboard"), post(c, "/servers/" + std::to_string(id) + "/delete", "&confirm_name=Loop+test"));
    gsp::test::waitUntilDeleted(*db_, id, 60s);
    assertNothingLeftOf(id);
    CPPUNIT_ASSERT(c.get("/dashboard").body.find(">Loop test</a>") == std::string::npos);
    CPPUNIT_ASSERT_EQUAL(404L, c.get("/servers/" + std::to_string(id)).status);
  }

  void udpClientWakesTheServer() {
    HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("udp"));
    int64_t id = createServer(c, "udp-test");
    int port = server(id).ports[0].public_port;
    std::string reply = gsp::test::udpRoundTrip(port, "ping over udp", 60s, 1000ms);
    CPPUNIT_ASSERT_EQUAL(std::string("ping over udp"), reply);
    waitForState(id, ServerState::kRunning, 60s);
    post(c, "/servers/" + std::to_string(id) + "/delete", "&confirm_name=udp-test");
  }

  // A catalog entry with A2S queries (like Valheim's): the proxy answers them
  // under the server's name while it sleeps, without waking it; once it runs,
  // the game answers (the Demo Game standing in as "Demo Game").
  void aSleepingServerAnswersSteamQueriesUnderItsName() {
    HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("a2s"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game-a2s"), "Viking Hall");
    int game_port = 0, query_port = 0;
    for (const gsp::db::ServerPort& p : server(id).ports) {
      if (p.protocol == "udp" && p.internal_port == 7000) game_port = p.public_port;
      if (p.protocol == "udp" && p.internal_port == 7001) query_port = p.public_port;
    }
    CPPUNIT_ASSERT(game_port > 0 && query_port > 0);
    CPPUNIT_ASSERT_EQUAL(std::string("Viking Hall - sleeping, join to wake"), a2sName(query_port));
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(server(id).state == ServerState::kSleeping);
    CPPUNIT_ASSERT_EQUAL(std::string("join"), gsp::test::udpRoundTrip(game_port, "join", 60s, 500ms));
    waitForState(id, ServerState::kRunning, 60s);
    CPPUNIT_ASSERT_EQUAL(std::string("Demo Game"), a2sName(query_port));
    post(c, "/servers/" + std::to_string(id) + "/delete", "&confirm_name=Viking%20Hall");
  }

  // A2S_INFO with the challenge handshake on one socket: the server's name, or "".
  static std::string a2sName(int port) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    timeval wait{2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string request("\xff\xff\xff\xffTSource Engine Query\0", 25);
    std::string name;
    for (int attempt = 0; attempt < 4 && name.empty(); ++attempt) {
      sendto(fd, request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
      char buf[1500];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n >= 9 && buf[4] == 'A') {  // a challenge: ask again with it
        request = std::string("\xff\xff\xff\xffTSource Engine Query\0", 25) + std::string(buf + 5, 4);
      } else if (n > 6 && buf[4] == 'I') {  // header, 'I', protocol, then the name
        name = std::string(buf + 6, strnlen(buf + 6, static_cast<size_t>(n) - 6));
      }
    }
    close(fd);
    return name;
  }

  void anotherUserGets404EverywhereAndChangesNothing() {
    HttpClient owner = gsp::test::signIn(base_, gsp::test::uniqueEmail("owner"));
    int64_t id = createServer(owner, "mine");
    HttpClient other = gsp::test::signIn(base_, gsp::test::uniqueEmail("intruder"));
    std::string csrf = gsp::test::csrfOf(other);
    std::string base = "/servers/" + std::to_string(id);
    for (const char* path : {"", "/status", "/logs"}) CPPUNIT_ASSERT_EQUAL(404L, other.get(base + path).status);
    for (const char* path : {"/wake", "/hibernate", "/delete"}) {
      HttpResponse r = other.post(base + path, "csrf_token=" + csrf + "&confirm_name=mine");
      CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 404L, r.status);
    }
    CPPUNIT_ASSERT(server(id).state == ServerState::kSleeping);
    CPPUNIT_ASSERT_EQUAL(200L, owner.get(base).status);
    post(owner, base + "/delete", "&confirm_name=mine");
  }

  // A signed call to `path`; `signed_path` (default: path) is the route the signature names.
  HttpResponse webhook(const std::string& path, int64_t header_id, const std::string& secret, int64_t when,
                       const std::string& body, const std::string& signed_path = "") {
    HttpClient internal("http://gsp-internal", gsp::test::env("GSP_TEST_WEBHOOK_SOCKET"));
    std::string ts = std::to_string(when);
    std::string route = signed_path.empty() ? path : signed_path;
    std::string sig = gsp::crypto::toHex(gsp::crypto::hmacSha256(secret, "POST\n" + route + "\n" + ts + "\n" + body));
    return internal.request("POST", path, body, "application/json",
                            {"X-GSP-Server: " + std::to_string(header_id), "X-GSP-Timestamp: " + ts,
                             "X-GSP-Signature: " + sig});
  }

  // A port scanner sweeping the host wakes every sleeping server it touches.
  // Three wakes by traffic in a row that end asleep again with no player
  // pause such wakes (403, which the proxy passes on as "could not be woken");
  // the owner's start from the dashboard ends the pause.
  void wakesByTrafficNobodyPlaysThroughPauseUntilTheOwnerStartsIt() {
    HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("scanned"));
    int64_t id = createServer(c, "scanned");
    const std::string secret = server(id).webhook_secret;
    const std::string wake = "{\"event\":\"wake\",\"server_id\":\"" + std::to_string(id) + "\",\"client\":\"198.51.100.9\"}";
    for (int round = 0; round < 3; ++round) {
      CPPUNIT_ASSERT_EQUAL_MESSAGE("wake " + std::to_string(round), 202L,
                                   webhook("/api/webhook/wake", id, secret, time(nullptr), wake).status);
      waitForState(id, ServerState::kRunning, 60s);
      waitForNoActiveJob(id);
      // An hour up with nobody playing: the pass puts it to sleep.
      db_->sql("UPDATE servers SET running_since = running_since - INTERVAL 1 HOUR, last_activity_at = NULL WHERE id = ?")
          .arg(id).update();
      tick(time(nullptr));
      waitForState(id, ServerState::kSleeping, 60s);
      waitForNoActiveJob(id);
    }
    HttpResponse paused = webhook("/api/webhook/wake", id, secret, time(nullptr), wake);
    CPPUNIT_ASSERT_EQUAL(403L, paused.status);
    CPPUNIT_ASSERT_MESSAGE(paused.body, paused.body.find("paused until") != std::string::npos);
    CPPUNIT_ASSERT(server(id).state == ServerState::kSleeping);
    CPPUNIT_ASSERT(c.get("/servers/" + std::to_string(id)).body.find("Wakes by network traffic are paused until") !=
                   std::string::npos);
    // The owner starts it: the pause ends, and traffic may wake it again later.
    post(c, "/servers/" + std::to_string(id) + "/wake", "");
    waitForState(id, ServerState::kRunning, 60s);
    waitForNoActiveJob(id);
    std::string until;
    CPPUNIT_ASSERT(!gsp::db::ServerRepository(*db_).trafficWakesPaused(id, &until));
    post(c, "/servers/" + std::to_string(id) + "/delete", "&confirm_name=scanned");
  }

  // The dashboard's state poll comes from the page cache (X-Page-Cache: hit)
  // until something it shows changes: an activity report changes nothing
  // shown, a wake does.
  void cachedDashboardFollowsWebhooks() {
    HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("cache-hooks"));
    int64_t id = createServer(c, "cache-hooks");
    std::string secret = server(id).webhook_secret;
    auto replayed = [&] {
      HttpResponse r = c.get("/dashboard/states");
      CPPUNIT_ASSERT_EQUAL(200L, r.status);
      return r.header("x-page-cache") == "hit";
    };
    bool hit = false;
    for (int i = 0; i < 20 && !hit; ++i) hit = replayed();
    CPPUNIT_ASSERT_MESSAGE("the state poll is replayed while nothing changes", hit);
    CPPUNIT_ASSERT(c.get("/dashboard/states").body.find("SLEEPING") != std::string::npos);
    int64_t now = time(nullptr);
    std::string activity = "{\"event\":\"activity\",\"server_id\":\"" + std::to_string(id) +
                           "\",\"tcp_connections\":0,\"udp_sessions\":0,\"last_traffic_at\":" +
                           std::to_string(now) + ",\"upstream_up\":false}";
    CPPUNIT_ASSERT_EQUAL(200L, webhook("/api/webhook/activity", id, secret, now, activity).status);
    CPPUNIT_ASSERT_MESSAGE("activity figures are not shown, so the page stays", replayed());
    std::string wake = "{\"event\":\"wake\",\"server_id\":\"" + std::to_string(id) + "\",\"client\":\"\"}";
    CPPUNIT_ASSERT_EQUAL(202L, webhook("/api/webhook/wake", id, secret, now, wake).status);
    // The agent moves the server on its own time; the page follows within web.page-cache-ms of that.
    for (int i = 0; i < 300 && server(id).state == ServerState::kSleeping; ++i) std::this_thread::sleep_for(100ms);
    CPPUNIT_ASSERT(server(id).state != ServerState::kSleeping);
    std::this_thread::sleep_for(300ms);
    HttpResponse after = c.get("/dashboard/states");
    CPPUNIT_ASSERT(after.header("x-page-cache") != "hit");
    CPPUNIT_ASSERT(after.body.find("SLEEPING") == std::string::npos);
    post(c, "/servers/" + std::to_string(id) + "/delete", "&confirm_name=cache-hooks");
  }

  void forgedWebhooksAreRefused() {
    HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("hooks"));
    int64_t a = createServer(c, "hook-a");
    int64_t b = createServer(c, "hook-b");
    std::string secret_a = server(a).webhook_secret, secret_b = server(b).webhook_secret;
    std::string body = "{\"event\":\"wake\",\"server_id\":\"" + std::to_string(a) + "\",\"client\":\"203.0.113.7\"}";
    int64_t now = time(nullptr);
    CPPUNIT_ASSERT_EQUAL(401L, webhook("/api/webhook/wake", a, "wrong-secret", now, body).status);
    CPPUNIT_ASSERT_EQUAL(401L, webhook("/api/webhook/wake", a, secret_a, now - 3600, body).status);
    CPPUNIT_ASSERT_EQUAL(401L, webhook("/api/webhook/wake", a, secret_b, now, body).status);
    // B's valid signature over a body naming A: B may act only on itself.
    CPPUNIT_ASSERT_EQUAL(400L, webhook("/api/webhook/wake", b, secret_b, now, body).status);
    // A signature made for one route is refused on another; a body must be the route's event.
    CPPUNIT_ASSERT_EQUAL(401L, webhook("/api/webhook/activity", a, secret_a, now, body, "/api/webhook/wake").status);
    CPPUNIT_ASSERT_EQUAL(400L, webhook("/api/webhook/activity", a, secret_a, now, body).status);
    CPPUNIT_ASSERT(server(a).state == ServerState::kSleeping);
    CPPUNIT_ASSERT(server(b).state == ServerState::kSleeping);
    // The real thing wakes A, and a second wake while it starts is the same wake (one job).
    CPPUNIT_ASSERT_EQUAL(202L, webhook("/api/webhook/wake", a, secret_a, now, body).status);
    long again = webhook("/api/webhook/wake", a, secret_a, now, body).status;
    CPPUNIT_ASSERT(again == 200L || again == 202L);
    for (int i = 0; i < 300 && server(a).state == ServerState::kSleeping; ++i) std::this_thread::sleep_for(100ms);
    CPPUNIT_ASSERT(server(a).state == ServerState::kStarting || server(a).state == ServerState::kRunning);
    auto wakes = db_->sql("SELECT COUNT(*) FROM jobs WHERE server_id = ? AND kind = 'WAKE'").arg(a).rows();
    wakes->next();
    CPPUNIT_ASSERT_EQUAL(1, wakes->getInt(1));
    // A signed activity report is recorded: live players and the last traffic time.
    std::string activity = "{\"event\":\"activity\",\"server_id\":\"" + std::to_string(b) +
                           "\",\"tcp_connections\":2,\"udp_sessions\":1,\"last_traffic_at\":" + std::to_string(now) +
                           ",\"upstream_up\":false}";
    CPPUNIT_ASSERT_EQUAL(200L, webhook("/api/webhook/activity", b, secret_b, now, activity).status);
    CPPUNIT_ASSERT_EQUAL(3, server(b).live_tcp_connections + server(b).live_udp_sessions);
    CPPUNIT_ASSERT(!server(b).last_activity_at.empty());
    CPPUNIT_ASSERT_EQUAL(401L, webhook("/api/webhook/activity", b, secret_a, now, activity).status);
    // The public listener never serves webhooks.
    HttpClient outside(base_);
    CPPUNIT_ASSERT_EQUAL(404L, outside.request("POST", "/api/webhook/wake", body, "application/json").status);
    post(c, "/servers/" + std::to_string(a) + "/delete", "&confirm_name=hook-a");
    post(c, "/servers/" + std::to_string(b) + "/delete", "&confirm_name=hook-b");
  }

  void badCreateFormsCreateNothing() {
    std::string email = gsp::test::uniqueEmail("badform");
    HttpClient c = gsp::test::signIn(base_, email);
    std::string csrf = gsp::test::csrfOf(c);
    std::string game = std::to_string(demoGameId());
    struct { std::string fields; long status; const char* message; } cases[] = {
        {"&game_id=" + game + "&name=", 422, "Give the server a name"},
        {"&game_id=" + game + "&name=" + urlEncode("<script>"), 422, "Give the server a name"},
        {"&game_id=" + game + "&name=" + std::string(41, 'a'), 422, "Give the server a name"},
        {"&game_id=999999&name=ok", 422, "Choose a game"},
        {"&game_id=abc&name=ok", 422, "Choose a game"},
    };
    for (const auto& bad : cases) {
      HttpResponse r = c.post("/servers/create", "csrf_token=" + csrf + bad.fields);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(bad.fields, bad.status, r.status);
      CPPUNIT_ASSERT_MESSAGE(bad.fields, r.body.find(bad.message) != std::string::npos);
    }
    // Less than one hour of credit: a clear message, nothing created.
    auto id_rs = db_->sql("SELECT id FROM users WHERE email = ?").arg(email).rows();
    CPPUNIT_ASSERT(id_rs->next());
    int64_t user_id = id_rs->getInt64(1);
    {
      gsp::db::Transaction tx(*db_);
      gsp::db::LedgerRepository(*db_).appendInTransaction(user_id, -500, gsp::db::EntryType::kAdjustment, "test: spend it all", "");
      tx.commit();
    }
    HttpResponse poor = c.post("/servers/create", "csrf_token=" + csrf + "&game_id=" + game + "&name=poor");
    CPPUNIT_ASSERT_EQUAL(402L, poor.status);
    CPPUNIT_ASSERT(poor.body.find("Starting Demo Game needs credits for one hour") != std::string::npos);
    auto rs = db_->sql("SELECT COUNT(*) FROM servers s JOIN users u ON u.id = s.user_id WHERE u.email = ?").arg(email).rows();
    rs->next();
    CPPUNIT_ASSERT_EQUAL(0, rs->getInt(1));
  }

  // Rows made directly (no containers needed): the form counts them like any server.
  void fillUpTo(const std::string& email, int count) {
    auto rs = db_->sql("SELECT id FROM users WHERE email = ?").arg(email).rows();
    CPPUNIT_ASSERT(rs->next());
    for (int i = 0; i < count; ++i) {
      gsp::db::NewServer n;
      n.user_id = rs->getInt64(1);
      n.game_image_id = demoGameId();
      n.name = "filler-" + std::to_string(i);
      n.webhook_secret = std::string(64, 'a');
      n.ports = {{"tcp", 7000}};
      n.port_min = config_.servers_port_min;
      n.port_max = config_.servers_port_max;
      CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).create(n).isOk());
    }
  }

  void aUserCannotPassTheServerLimitButAnAdminCan() {
    std::string email = gsp::test::uniqueEmail("limit");
    HttpClient c = gsp::test::signIn(base_, email);
    fillUpTo(email, config_.servers_max_per_user);
    // A name of this run's: the admin keeps the server it makes (the sanitized run repeats this suite).
    const std::string name = "one-too-many-" + std::to_string(getpid());
    std::string fields = "&game_id=" + std::to_string(demoGameId()) + "&name=" + name;
    HttpResponse r = c.post("/servers/create", "csrf_token=" + gsp::test::csrfOf(c) + fields);
    CPPUNIT_ASSERT_EQUAL(403L, r.status);
    CPPUNIT_ASSERT(r.body.find("the most one account may have") != std::string::npos);
    auto rs = db_->sql("SELECT COUNT(*) FROM servers WHERE name = ?").arg(name).rows();
    rs->next();
    CPPUNIT_ASSERT_EQUAL(0, rs->getInt(1));
    // An administrator is not limited (admin emails come from the config).
    std::string admin = config_.auth_admin_emails.at(0);
    HttpClient a = gsp::test::signIn(base_, admin);
    auto held = db_->sql("SELECT COUNT(*) FROM servers s JOIN users u ON u.id = s.user_id "
                         "WHERE u.email = ? AND s.deleted_at IS NULL").arg(admin).rows();
    held->next();
    fillUpTo(admin, std::max(0, config_.servers_max_per_user - held->getInt(1)));
    HttpResponse made = a.post("/servers/create", "csrf_token=" + gsp::test::csrfOf(a) + fields);
    CPPUNIT_ASSERT_EQUAL(303L, made.status);
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ServersTest);
