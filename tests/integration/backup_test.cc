// Backups against the running platform (real MariaDB, the agent, the Docker
// engine, nginx), on the local target (backup.local-dir of the test config):
// the Demo Game's save file survives a backup, a change and a restore; a
// corrupt or cut-short archive is refused and the data stays as it was; the
// limit, locks and deletion; downloads through nginx with their length and
// ranges; another user's backups are 404 everywhere. The same on Cloud
// Storage (the test double): the round trip, a download from a signed URL,
// an upload cut by an agent kill that goes on where it stopped, and an
// expired upload session.
#include <cppunit/extensions/HelperMacros.h>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "core/crypto.h"
#include "db/backup_repository.h"
#include "db/job_repository.h"
#include "db/server_repository.h"
#include "domain/backup_file_name.h"
#include "net_client.h"
#include "platform_test.h"
#include "test_env.h"

using namespace std::chrono_literals;
using gsp::domain::ServerState;

class BackupTest : public gsp::test::PlatformTest {
  CPPUNIT_TEST_SUITE(BackupTest);
  CPPUNIT_TEST(aSaveSurvivesBackupChangeAndRestore);
  CPPUNIT_TEST(aCorruptOrCutShortArchiveIsRefusedAndTheDataStays);
  CPPUNIT_TEST(theLimitLocksAndDeletion);
  CPPUNIT_TEST(aBackupWithoutItsGameContainerFailsClearly);
  CPPUNIT_TEST(anotherUsersBackupsAre404Everywhere);
  CPPUNIT_TEST(aServerIsBackedUpAsItGoesToSleepAtMostEverySixHours);
  CPPUNIT_TEST(aDailyBackupMakesRoomButKeepsLockedOnes);
  CPPUNIT_TEST(theSameRoundTripThroughCloudStorage);
  CPPUNIT_TEST(aRunningServerIsBackedUpLiveOrAfterItSleeps);
  CPPUNIT_TEST(aFullTargetFailsClearlyAndLeavesNothing);
  CPPUNIT_TEST(anUploadCutByAnAgentKillGoesOnWhereItStopped);
  CPPUNIT_TEST(anExpiredUploadSessionFailsTheBackupClearly);
  CPPUNIT_TEST_SUITE_END();

 public:
  std::string csrf(gsp::test::HttpClient& c) { return "csrf_token=" + gsp::test::csrfOf(c); }
  std::string base(int64_t id) { return "/servers/" + std::to_string(id); }

  // Takes a backup through the page and waits for its end; its row.
  // `form` adds fields to the form ("&sleep_first=1").
  gsp::db::Backup backUp(gsp::test::HttpClient& c, int64_t id, const std::string& form = "") {
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups", csrf(c) + form).status);
    for (int i = 0; i < 600; ++i) {
      std::vector<gsp::db::Backup> all = gsp::db::BackupRepository(*db_).listForServer(id);
      CPPUNIT_ASSERT(!all.empty());
      if (all.front().state == "DONE" || all.front().state == "FAILED") return all.front();
      std::this_thread::sleep_for(100ms);
    }
    CPPUNIT_FAIL("the backup did not end");
    return {};
  }

  // The server's newest job once it ended.
  gsp::db::Job lastJobEnded(int64_t id) {
    for (int i = 0; i < 600; ++i) {
      std::optional<gsp::db::Job> j = gsp::db::JobRepository(*db_).latestForServer(id);
      if (j && (j->state == gsp::domain::JobState::kDone || j->state == gsp::domain::JobState::kFailed)) return *j;
      std::this_thread::sleep_for(100ms);
    }
    CPPUNIT_FAIL("the job did not end");
    return {};
  }

  // The Demo Game's save file, read from its container (a tar of one file; the JSON is in it).
  std::string saveFile(int64_t id) {
    gsp::db::ServerRecord s = *gsp::db::ServerRepository(*db_).find(id);
    std::string tar;
    auto got = docker_->getArchive(s.game_container_id, "/data/save.json", [&](const char* d, size_t n) {
      tar.append(d, n);
      return true;
    });
    CPPUNIT_ASSERT_MESSAGE(got.message(), got.isOk());
    size_t open = tar.find('{'), close = tar.find('}');
    CPPUNIT_ASSERT(open != std::string::npos && close != std::string::npos);
    return tar.substr(open, close - open + 1);
  }

  // A player joins and the server is put to sleep again: the save file changes.
  void playOnce(gsp::test::HttpClient& c, int64_t id) {
    gsp::db::ServerRecord s = *gsp::db::ServerRepository(*db_).find(id);
    std::string echoed = gsp::test::tcpRoundTrip(s.ports[0].public_port, "play\n", 60s);
    if (echoed != "play\n") {
      // What the proxy saw, to tell a refused wake from a game that never came up.
      int status = 0;
      std::string seen = gsp::test::runCommand("docker logs --tail 20 " + s.proxy_container_id + " 2>&1", &status);
      CPPUNIT_FAIL("no echo through the proxy (got \"" + echoed + "\", server " + gsp::domain::stateName(s.state) +
                   "); the proxy's log:\n" + seen);
    }
    gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);
    waitForNoActiveJob(id);
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/hibernate", csrf(c)).status);
    gsp::test::waitForState(*db_, id, ServerState::kSleeping, 60s);
    lastJobEnded(id);  // SLEEPING shows a moment before the sleep's job ends
  }

  std::string fileOf(const gsp::db::Backup& b) { return config_.backup_local_dir + "/" + b.object_name; }

  void aSaveSurvivesBackupChangeAndRestore() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("backup"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "saved");
    playOnce(c, id);
    const std::string before = saveFile(id);
    gsp::db::Backup b = backUp(c, id);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(b.message, std::string("DONE"), b.state);
    CPPUNIT_ASSERT(!b.taken_while_running);
    CPPUNIT_ASSERT_EQUAL(size_t(64), b.sha256.size());
    CPPUNIT_ASSERT(b.bytes_read > 0 && b.bytes_stored > 0 && b.bytes_stored < b.bytes_read);
    // The stored file is what the row says.
    std::ifstream in(fileOf(b), std::ios::binary);
    std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CPPUNIT_ASSERT_EQUAL(b.bytes_stored, static_cast<int64_t>(stored.size()));
    CPPUNIT_ASSERT_EQUAL(b.sha256, gsp::crypto::toHex(gsp::crypto::sha256(stored)));
    // Downloaded through nginx: its length, its name, the same bytes; a range.
    gsp::test::HttpResponse d = c.get(base(id) + "/backups/" + std::to_string(b.id) + "/download");
    CPPUNIT_ASSERT_EQUAL(200L, d.status);
    CPPUNIT_ASSERT_EQUAL(stored, d.body);
    CPPUNIT_ASSERT_EQUAL(std::to_string(stored.size()), d.header("content-length"));
    CPPUNIT_ASSERT_MESSAGE(d.header("content-disposition"),
                           d.header("content-disposition").find("attachment; filename=\"saved-") == 0);
    gsp::test::HttpResponse part = c.request("GET", base(id) + "/backups/" + std::to_string(b.id) + "/download", "", "",
                                             {"Range: bytes=10-19"});
    CPPUNIT_ASSERT_EQUAL(206L, part.status);
    CPPUNIT_ASSERT_EQUAL(stored.substr(10, 10), part.body);

    // A change, then the restore brings the saved state back.
    playOnce(c, id);
    CPPUNIT_ASSERT(saveFile(id) != before);
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups/" + std::to_string(b.id) + "/restore", csrf(c)).status);
    gsp::db::Job restored = lastJobEnded(id);
    CPPUNIT_ASSERT_MESSAGE(restored.message, restored.state == gsp::domain::JobState::kDone);
    CPPUNIT_ASSERT_EQUAL(before, saveFile(id));
    std::string page = c.get(base(id)).body;
    CPPUNIT_ASSERT(page.find("restored the backup of") != std::string::npos);
    // The restored server plays on, and its delete leaves nothing (the
    // restored volume included), its backups neither.
    int port = gsp::db::ServerRepository(*db_).find(id)->ports[0].public_port;
    CPPUNIT_ASSERT_EQUAL(std::string("again\n"), gsp::test::tcpRoundTrip(port, "again\n", 60s));
    gsp::test::waitForState(*db_, id, ServerState::kRunning, 60s);
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/delete", csrf(c) + "&confirm_name=saved").status);
    gsp::test::waitUntilDeleted(*db_, id, 60s);
    assertNothingLeftOf(id);
    CPPUNIT_ASSERT(!std::ifstream(fileOf(b)).good());
    CPPUNIT_ASSERT(!gsp::db::BackupRepository(*db_).find(b.id).has_value());
  }

  void aCorruptOrCutShortArchiveIsRefusedAndTheDataStays() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("corrupt"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "corrupt");
    playOnce(c, id);
    gsp::db::Backup b = backUp(c, id);
    CPPUNIT_ASSERT_EQUAL(std::string("DONE"), b.state);
    playOnce(c, id);
    const std::string now = saveFile(id);
    std::ifstream in(fileOf(b), std::ios::binary);
    std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    // One byte changed, then the file cut in half: each restore fails, saying why.
    std::string flipped = good;
    flipped[flipped.size() / 2] ^= 0x40;
    for (const std::string& bad : {flipped, good.substr(0, good.size() / 2)}) {
      std::ofstream(fileOf(b), std::ios::binary | std::ios::trunc) << bad;
      CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups/" + std::to_string(b.id) + "/restore", csrf(c)).status);
      gsp::db::Job failed = lastJobEnded(id);
      CPPUNIT_ASSERT(failed.state == gsp::domain::JobState::kFailed);
      CPPUNIT_ASSERT_MESSAGE(failed.message, failed.message.find("The server's data is as it was") != std::string::npos);
      CPPUNIT_ASSERT_EQUAL(now, saveFile(id));
    }
    // A missing file says so too.
    std::remove(fileOf(b).c_str());
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups/" + std::to_string(b.id) + "/restore", csrf(c)).status);
    gsp::db::Job missing = lastJobEnded(id);
    CPPUNIT_ASSERT_MESSAGE(missing.message, missing.message.find("missing") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(now, saveFile(id));
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=corrupt");
  }

  void theLimitLocksAndDeletion() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("limit"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "limit");
    std::vector<gsp::db::Backup> taken;
    for (int i = 0; i < 5; ++i) taken.push_back(backUp(c, id));
    // The sixth is refused, naming the oldest unlocked one.
    c.post(base(id) + "/backups", csrf(c));
    std::string page = c.get(base(id)).body;
    CPPUNIT_ASSERT_MESSAGE(page.substr(0, 3000), page.find("keeps at most 5 backups") != std::string::npos);
    CPPUNIT_ASSERT(page.find("from " + taken[0].created_at) != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(5, gsp::db::BackupRepository(*db_).countKept(id));
    // Locked: not deletable until unlocked; all locked, the refusal says so.
    for (const gsp::db::Backup& b : taken)
      CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups/" + std::to_string(b.id) + "/lock", csrf(c)).status);
    c.post(base(id) + "/backups", csrf(c));
    CPPUNIT_ASSERT(c.get(base(id)).body.find("all of them are locked") != std::string::npos);
    c.post(base(id) + "/backups/" + std::to_string(taken[0].id) + "/delete", csrf(c));
    std::this_thread::sleep_for(1s);
    CPPUNIT_ASSERT(gsp::db::BackupRepository(*db_).find(taken[0].id).has_value());
    // Unlocked and deleted: its file goes, and there is room again.
    c.post(base(id) + "/backups/" + std::to_string(taken[0].id) + "/unlock", csrf(c));
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups/" + std::to_string(taken[0].id) + "/delete", csrf(c)).status);
    for (int i = 0; i < 100 && gsp::db::BackupRepository(*db_).find(taken[0].id); ++i) std::this_thread::sleep_for(100ms);
    CPPUNIT_ASSERT(!gsp::db::BackupRepository(*db_).find(taken[0].id).has_value());
    CPPUNIT_ASSERT(!std::ifstream(fileOf(taken[0])).good());
    CPPUNIT_ASSERT_EQUAL(std::string("DONE"), backUp(c, id).state);
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=limit");
  }

  void aBackupWithoutItsGameContainerFailsClearly() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("nogame"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "nogame");
    CPPUNIT_ASSERT(docker_->removeContainer(gsp::db::ServerRepository(*db_).find(id)->game_container_id, {true, false}).isOk());
    gsp::db::Backup b = backUp(c, id);
    CPPUNIT_ASSERT_EQUAL(std::string("FAILED"), b.state);
    CPPUNIT_ASSERT_MESSAGE(b.message, b.message.find("game container is gone") != std::string::npos);
    // A failed backup can always be deleted.
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups/" + std::to_string(b.id) + "/delete", csrf(c)).status);
    for (int i = 0; i < 100 && gsp::db::BackupRepository(*db_).find(b.id); ++i) std::this_thread::sleep_for(100ms);
    CPPUNIT_ASSERT(!gsp::db::BackupRepository(*db_).find(b.id).has_value());
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=nogame");
  }

  void anotherUsersBackupsAre404Everywhere() {
    gsp::test::HttpClient owner = gsp::test::signIn(base_, gsp::test::uniqueEmail("mine"));
    int64_t id = gsp::test::createServer(owner, *db_, gsp::test::gameId(*db_, "demo-game"), "mine");
    gsp::db::Backup b = backUp(owner, id);
    gsp::test::HttpClient other = gsp::test::signIn(base_, gsp::test::uniqueEmail("other"));
    const std::string one = base(id) + "/backups/" + std::to_string(b.id);
    for (const std::string& path : {one + "/restore", one + "/lock", one + "/unlock", one + "/delete", base(id) + "/backups"})
      CPPUNIT_ASSERT_EQUAL_MESSAGE(path, 404L, other.post(path, csrf(other)).status);
    CPPUNIT_ASSERT_EQUAL(404L, other.get(one + "/download").status);
    // The owner's own backup under another server of theirs is not found either.
    int64_t second = gsp::test::createServer(owner, *db_, gsp::test::gameId(*db_, "demo-game"), "second");
    CPPUNIT_ASSERT_EQUAL(404L, owner.get(base(second) + "/backups/" + std::to_string(b.id) + "/download").status);
    CPPUNIT_ASSERT(gsp::db::BackupRepository(*db_).find(b.id).has_value());
    owner.post(base(id) + "/delete", csrf(owner) + "&confirm_name=mine");
    owner.post(base(second) + "/delete", csrf(owner) + "&confirm_name=second");
  }

  // Restarts the test's gsp-agent with `env` set (its options as GSP_SECTION_KEY variables).
  void restartAgent(const std::vector<std::pair<std::string, std::string>>& env) {
    std::ifstream pidfile(gsp::test::env("GSP_TEST_AGENT_PIDFILE"));
    pid_t pid = 0;
    pidfile >> pid;
    CPPUNIT_ASSERT(pid > 0);
    kill(pid, SIGTERM);
    for (int i = 0; i < 100 && kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(100ms);
    for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
    int status = 0;
    std::string out = gsp::test::runCommand(gsp::test::env("GSP_TEST_START_AGENT"), &status);
    for (const auto& [name, value] : env) unsetenv(name.c_str());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
  }

  // The server's backups of `reason` once its last job (the sleep, or a pass's
  // queueing) ended and no backup is being taken.
  std::vector<gsp::db::Backup> settled(int64_t id, const std::string& reason) {
    lastJobEnded(id);
    for (int i = 0; i < 600 && gsp::db::BackupRepository(*db_).anyInProgress(id); ++i) std::this_thread::sleep_for(100ms);
    std::vector<gsp::db::Backup> out;
    for (const gsp::db::Backup& b : gsp::db::BackupRepository(*db_).listForServer(id)) {
      if (b.reason == reason) out.push_back(b);
    }
    return out;
  }

  void aServerIsBackedUpAsItGoesToSleepAtMostEverySixHours() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("onsleep"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "onsleep");
    // Bad values are refused by name and change nothing.
    for (const char* bad : {"on_sleep=1&daily_hour=24", "on_sleep=1&daily_hour=abc", "on_sleep=yes&daily_hour=off"}) {
      CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backup-schedule", csrf(c) + "&" + bad).status);
      CPPUNIT_ASSERT(!gsp::db::ServerRepository(*db_).find(id)->backup_on_sleep);
    }
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backup-schedule", csrf(c) + "&on_sleep=1&daily_hour=off").status);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(id)->backup_on_sleep);
    playOnce(c, id);
    std::vector<gsp::db::Backup> taken = settled(id, "ON_SLEEP");
    CPPUNIT_ASSERT_EQUAL(size_t(1), taken.size());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(taken[0].message, std::string("DONE"), taken[0].state);
    CPPUNIT_ASSERT(!taken[0].taken_while_running);
    // Asleep again within 6 hours: no second one.
    playOnce(c, id);
    CPPUNIT_ASSERT_EQUAL(size_t(1), settled(id, "ON_SLEEP").size());
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=onsleep");
  }

  void aDailyBackupMakesRoomButKeepsLockedOnes() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("daily"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "daily");
    std::vector<gsp::db::Backup> manual;
    for (int i = 0; i < 5; ++i) manual.push_back(backUp(c, id));
    c.post(base(id) + "/backups/" + std::to_string(manual[0].id) + "/lock", csrf(c));
    // Its hour is this one: the next pass queues it, at the limit it removes
    // the oldest unlocked backup (the second), never the locked first.
    const int hour = static_cast<int>((time(nullptr) / 3600) % 24);
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backup-schedule", csrf(c) + "&daily_hour=" + std::to_string(hour)).status);
    tick();
    std::vector<gsp::db::Backup> daily = settled(id, "DAILY");
    CPPUNIT_ASSERT_EQUAL(size_t(1), daily.size());
    CPPUNIT_ASSERT_EQUAL_MESSAGE(daily[0].message, std::string("DONE"), daily[0].state);
    CPPUNIT_ASSERT(gsp::db::BackupRepository(*db_).find(manual[0].id).has_value());
    CPPUNIT_ASSERT(!gsp::db::BackupRepository(*db_).find(manual[1].id).has_value());
    CPPUNIT_ASSERT(!std::ifstream(fileOf(manual[1])).good());
    CPPUNIT_ASSERT_EQUAL(5, gsp::db::BackupRepository(*db_).countKept(id));
    // Once a day: the next pass queues nothing.
    tick();
    CPPUNIT_ASSERT_EQUAL(size_t(1), settled(id, "DAILY").size());
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=daily");
  }

  void aRunningServerIsBackedUpLiveOrAfterItSleeps() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("live"));
    int64_t id = runningServer(c, "live");
    // Live: the game keeps running, and the backup says it was taken so.
    gsp::db::Backup live = backUp(c, id);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(live.message, std::string("DONE"), live.state);
    CPPUNIT_ASSERT(live.taken_while_running);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(id)->state == ServerState::kRunning);
    // "Sleep first": the server goes to sleep (its world saved), then the copy is taken.
    gsp::db::Backup consistent = backUp(c, id, "&sleep_first=1");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(consistent.message, std::string("DONE"), consistent.state);
    CPPUNIT_ASSERT(consistent.sleep_first);
    CPPUNIT_ASSERT(!consistent.taken_while_running);
    CPPUNIT_ASSERT(gsp::db::ServerRepository(*db_).find(id)->state == ServerState::kSleeping);
    CPPUNIT_ASSERT(c.get(base(id)).body.find("put to sleep for a consistent backup") != std::string::npos);
    // A bad value is refused and takes nothing.
    c.post(base(id) + "/backups", csrf(c) + "&sleep_first=please");
    CPPUNIT_ASSERT_EQUAL(size_t(2), gsp::db::BackupRepository(*db_).listForServer(id).size());
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=live");
  }

  // The local target on a 1 MiB filesystem; the server's data is 3 MB of noise.
  void aFullTargetFailsClearlyAndLeavesNothing() {
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("full"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "full");
    const std::string small = config_.backup_local_dir + "-small";
    const std::string game = gsp::db::ServerRepository(*db_).find(id)->game_container_id;
    int status = 0;
    std::string out = gsp::test::runCommand(
        "set -e; mkdir -p '" + small + "'; mount -t tmpfs -o size=1m,mode=2750 tmpfs '" + small + "'; chown gsp-agent '" +
            small + "'; head -c 3000000 /dev/urandom > '" + small + ".noise'; docker cp '" + small + ".noise' " + game +
            ":/data/noise.bin; rm '" + small + ".noise'",
        &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    restartAgent({{"GSP_BACKUP_LOCAL_DIR", small}});
    gsp::db::Backup b = backUp(c, id);
    restartAgent({});
    std::string left = gsp::test::runCommand("find '" + small + "' -type f | wc -l; umount '" + small + "'", &status);
    CPPUNIT_ASSERT_EQUAL(std::string("FAILED"), b.state);
    CPPUNIT_ASSERT_MESSAGE(b.message, b.message.find("The backup disk is full") != std::string::npos);
    // The half-written file went with the failure.
    CPPUNIT_ASSERT_EQUAL(std::string("0\n"), left);
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=full");
  }

  // The agent's options for the Cloud Storage test double, 256 KiB chunks.
  static std::vector<std::pair<std::string, std::string>> onCloudStorage() {
    return {{"GSP_BACKUP_TARGET", "gcs"},
            {"GSP_BACKUP_GCS_BUCKET", "gsp-test"},
            {"GSP_BACKUP_GCS_PREFIX", "platform/"},
            {"GSP_BACKUP_GCS_KEY_FILE", gsp::test::env("GSP_TEST_GCS_KEY_FILE")},
            {"GSP_BACKUP_GCS_ENDPOINT", gsp::test::env("GSP_TEST_GCS_URL")},
            {"GSP_BACKUP_GCS_CHUNK_KIB", "256"}};
  }

  // The page's download of a Cloud Storage backup: a redirect to a URL the
  // agent signed, which serves the file with its name, length and ranges.
  std::string downloadFromCloudStorage(gsp::test::HttpClient& c, int64_t id, const gsp::db::Backup& b) {
    gsp::test::HttpResponse r = c.get(base(id) + "/backups/" + std::to_string(b.id) + "/download");
    const std::string gcs = gsp::test::env("GSP_TEST_GCS_URL");
    const std::string location = r.header("location");
    CPPUNIT_ASSERT_EQUAL_MESSAGE(location, 303L, r.status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(location, 0UL, location.rfind(gcs + "/gsp-test/platform/" + b.object_name + "?", 0));
    CPPUNIT_ASSERT(location.find("X-Goog-Signature=") != std::string::npos);
    gsp::test::HttpClient storage(gcs);
    gsp::test::HttpResponse file = storage.get(location.substr(gcs.size()));
    CPPUNIT_ASSERT_EQUAL(200L, file.status);
    CPPUNIT_ASSERT_EQUAL(std::to_string(b.bytes_stored), file.header("content-length"));
    const std::string name = gsp::db::ServerRepository(*db_).find(id)->name;
    CPPUNIT_ASSERT_EQUAL("attachment; filename=\"" + gsp::domain::backupFileName(name, b.created_at) + "\"",
                         file.header("content-disposition"));
    gsp::test::HttpResponse part = storage.request("GET", location.substr(gcs.size()), "", "", {"Range: bytes=0-1"});
    CPPUNIT_ASSERT_EQUAL(206L, part.status);
    CPPUNIT_ASSERT_EQUAL(std::string("\x1f\x8b"), part.body);  // gzip's magic
    return file.body;
  }

  void controlCloudStorage(const std::string& json) {
    gsp::test::HttpClient c(gsp::test::env("GSP_TEST_GCS_URL"));
    CPPUNIT_ASSERT_EQUAL(200L, c.request("POST", "/_faults", json, "application/json").status);
  }

  // A number from the double's /_stats.
  int64_t cloudStorageStat(const std::string& name) {
    std::string s = gsp::test::HttpClient(gsp::test::env("GSP_TEST_GCS_URL")).get("/_stats").body;
    size_t at = s.find("\"" + name + "\":");
    CPPUNIT_ASSERT_MESSAGE(s, at != std::string::npos);
    return std::stoll(s.substr(at + name.size() + 3));
  }

  // Random bytes into the demo game's data, so its backup takes a while.
  void addNoise(int64_t id, int megabytes) {
    const std::string game = gsp::db::ServerRepository(*db_).find(id)->game_container_id;
    const std::string noise = config_.backup_local_dir + "-noise-" + std::to_string(id);
    int status = 0;
    std::string out = gsp::test::runCommand("set -e; head -c " + std::to_string(megabytes) + "M /dev/urandom > '" + noise +
                                                "'; docker cp '" + noise + "' " + game + ":/data/noise.bin; rm '" + noise + "'",
                                            &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
  }

  // The agent is killed while the upload is half done; the restarted agent
  // takes the job again and goes on with the same upload session from what
  // the service kept: no byte is stored twice, and the object is whole.
  void anUploadCutByAnAgentKillGoesOnWhereItStopped() {
    restartAgent(onCloudStorage());
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("resume"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "resume");
    addNoise(id, 8);
    controlCloudStorage("{\"reset\":true,\"delayChunksMs\":200}");  // 32 chunks: about 6 s
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups", csrf(c)).status);
    gsp::db::Backup half;
    for (int i = 0; i < 300; ++i) {
      half = gsp::db::BackupRepository(*db_).listForServer(id).front();
      if (!half.upload_session.empty() && half.bytes_stored >= 2 << 20) break;
      std::this_thread::sleep_for(50ms);
    }
    CPPUNIT_ASSERT_EQUAL(std::string("RUNNING"), half.state);
    CPPUNIT_ASSERT(half.bytes_stored >= 2 << 20);
    std::ifstream pidfile(gsp::test::env("GSP_TEST_AGENT_PIDFILE"));
    pid_t pid = 0;
    pidfile >> pid;
    CPPUNIT_ASSERT(pid > 0 && kill(pid, SIGKILL) == 0);
    controlCloudStorage("{\"delayChunksMs\":0}");
    restartAgent(onCloudStorage());
    gsp::db::Backup b;
    for (int i = 0; i < 600; ++i) {
      b = *gsp::db::BackupRepository(*db_).find(half.id);
      if (b.state == "DONE" || b.state == "FAILED") break;
      std::this_thread::sleep_for(100ms);
    }
    std::string downloaded = b.state == "DONE" ? downloadFromCloudStorage(c, id, b) : "";
    restartAgent({});
    CPPUNIT_ASSERT_EQUAL_MESSAGE(b.message, std::string("DONE"), b.state);
    CPPUNIT_ASSERT(b.upload_session.empty());
    CPPUNIT_ASSERT_EQUAL(int64_t(1), cloudStorageStat("upload.start"));  // one session, resumed
    CPPUNIT_ASSERT_EQUAL(b.bytes_stored, cloudStorageStat("persistedBytes"));  // nothing stored twice
    CPPUNIT_ASSERT_EQUAL(b.sha256, gsp::crypto::toHex(gsp::crypto::sha256(downloaded)));
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=resume");
  }

  void anExpiredUploadSessionFailsTheBackupClearly() {
    restartAgent(onCloudStorage());
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("expired"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "expired");
    controlCloudStorage("{\"reset\":true,\"expireSessionAtNextChunk\":true}");
    gsp::db::Backup b = backUp(c, id);
    restartAgent({});
    CPPUNIT_ASSERT_EQUAL(std::string("FAILED"), b.state);
    CPPUNIT_ASSERT_EQUAL(std::string("The Cloud Storage upload session expired; the backup must be taken again."), b.message);
    CPPUNIT_ASSERT(b.upload_session.empty());
    // A failed backup can be deleted, even by an agent now on another target.
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups/" + std::to_string(b.id) + "/delete", csrf(c)).status);
    gsp::db::Job deleted = lastJobEnded(id);
    CPPUNIT_ASSERT_MESSAGE(deleted.message, deleted.state == gsp::domain::JobState::kDone);
    CPPUNIT_ASSERT(!gsp::db::BackupRepository(*db_).find(b.id).has_value());
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=expired");
  }

  // The agent configured for Cloud Storage (the test double, 256 KiB chunks):
  // the save file survives a backup, a change and a restore.
  void theSameRoundTripThroughCloudStorage() {
    restartAgent(onCloudStorage());
    gsp::test::HttpClient c = gsp::test::signIn(base_, gsp::test::uniqueEmail("cloud"));
    int64_t id = gsp::test::createServer(c, *db_, gsp::test::gameId(*db_, "demo-game"), "cloud");
    playOnce(c, id);
    const std::string before = saveFile(id);
    gsp::db::Backup b = backUp(c, id);
    std::string downloaded = downloadFromCloudStorage(c, id, b);
    restartAgent({});  // back to the local target for the other tests, whatever happens below
    CPPUNIT_ASSERT_EQUAL_MESSAGE(b.message, std::string("DONE"), b.state);
    CPPUNIT_ASSERT_EQUAL(std::string("gcs"), b.target);
    CPPUNIT_ASSERT_EQUAL(b.sha256, gsp::crypto::toHex(gsp::crypto::sha256(downloaded)));
    // The object is in the bucket with the sums the row has (read by the official client).
    int status = 0;
    std::string out = gsp::test::runCommand(gsp::test::env("GSP_TEST_GCS_READ_BACK") + " " +
                                                gsp::test::env("GSP_TEST_GCS_URL") + " gsp-test platform/" + b.object_name +
                                                " " + b.crc32c + " " + b.md5 + " " + std::to_string(b.bytes_stored),
                                            &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    restartAgent(onCloudStorage());
    playOnce(c, id);
    CPPUNIT_ASSERT(saveFile(id) != before);
    CPPUNIT_ASSERT_EQUAL(303L, c.post(base(id) + "/backups/" + std::to_string(b.id) + "/restore", csrf(c)).status);
    gsp::db::Job restored = lastJobEnded(id);
    restartAgent({});
    CPPUNIT_ASSERT_MESSAGE(restored.message, restored.state == gsp::domain::JobState::kDone);
    CPPUNIT_ASSERT_EQUAL(before, saveFile(id));
    c.post(base(id) + "/delete", csrf(c) + "&confirm_name=cloud");
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(BackupTest);
