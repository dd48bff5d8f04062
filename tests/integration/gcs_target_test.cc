// The Cloud Storage target (src/backup/gcs_target.cc) against the JSON API
// test double (tests/gcs/gcs_double.mjs, started by scripts/test.sh with a
// test service account): tokens from signed JWTs, resumable uploads in
// chunks that resume after a cut from what the service kept, retries of a
// 503 and of an expired token, the hashes checked, ranged reads, deletes, and
// clear failures for a missing or malformed key file. The official client
// (npm @google-cloud/storage) reads back what this code uploaded.
// Needs GSP_TEST_GCS_URL, GSP_TEST_GCS_KEY_FILE, GSP_TEST_GCS_READ_BACK.
#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <string>

#include "backup/archive_digests.h"
#include "backup/gcs_target.h"
#include "http_client.h"
#include "test_env.h"

namespace {

const size_t kChunk = 256 * 1024;

std::string someBytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s[i] = static_cast<char>(x);
  }
  return s;
}

}  // namespace

class GcsTargetTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(GcsTargetTest);
  CPPUNIT_TEST(roundTripInChunksReadBackByTheOfficialClient);
  CPPUNIT_TEST(anUploadCutTwiceResumesFromWhatTheServiceKept);
  CPPUNIT_TEST(a503AndAnExpiredTokenAreRetried);
  CPPUNIT_TEST(wrongSumsLeaveNoObject);
  CPPUNIT_TEST(aMissingOrMalformedKeyFileIsAClearFailure);
  CPPUNIT_TEST(aBucketThatRefusesIsAClearFailure);
  CPPUNIT_TEST(aSignedUrlServesTheObjectWithItsNameAndRanges);
  CPPUNIT_TEST(anOpenUploadIsResumedByAnotherWriter);
  CPPUNIT_TEST(aResumedUploadOfOtherBytesIsAConflict);
  CPPUNIT_TEST(anExpiredSessionIsAClearFailure);
  CPPUNIT_TEST_SUITE_END();

 public:
  void setUp() override {
    url_ = gsp::test::env("GSP_TEST_GCS_URL");
    key_ = gsp::test::env("GSP_TEST_GCS_KEY_FILE");
    control("{\"reset\":true}");
  }

  gsp::backup::GcsOptions options(const std::string& key_file = "") {
    gsp::backup::GcsOptions o;
    o.endpoint = url_;
    o.bucket = "gsp-test";
    o.key_file = key_file.empty() ? key_ : key_file;
    o.first_backoff = std::chrono::milliseconds(50);
    o.max_backoff = std::chrono::milliseconds(400);
    return o;
  }

  void control(const std::string& json) {
    gsp::test::HttpClient c(url_);
    CPPUNIT_ASSERT_EQUAL(200L, c.request("POST", "/_faults", json, "application/json").status);
  }

  std::string stats() { return gsp::test::HttpClient(url_).get("/_stats").body; }

  // Uploads `data` through the target in pieces, setting `fault_before` (JSON) before piece `at` when given.
  gsp::Status upload(gsp::backup::GcsTarget& target, const std::string& name, const std::string& data,
                     gsp::backup::ArchiveSums* sums, const std::vector<std::pair<size_t, std::string>>& faults = {}) {
    auto writer = target.create(name);
    if (!writer.isOk()) return writer.status();
    gsp::backup::ArchiveDigests digests;
    size_t piece = 100000;
    for (size_t off = 0; off < data.size(); off += piece) {
      for (const auto& f : faults) {
        if (off <= f.first && f.first < off + piece) control(f.second);
      }
      size_t n = std::min(piece, data.size() - off);
      digests.update(data.data() + off, n);
      gsp::Status w = writer.value()->write(data.data() + off, n);
      if (!w.isOk()) return w;
    }
    *sums = digests.finish();
    return writer.value()->commit(*sums);
  }

  std::string readAll(gsp::backup::GcsTarget& target, const std::string& name) {
    auto reader = target.open(name);
    CPPUNIT_ASSERT_MESSAGE(reader.status().message(), reader.isOk());
    std::string out;
    char buf[70000];
    for (;;) {
      auto n = reader.value()->read(buf, sizeof buf);
      CPPUNIT_ASSERT_MESSAGE(n.status().message(), n.isOk());
      if (n.value() == 0) return out;
      out.append(buf, n.value());
    }
  }

  void roundTripInChunksReadBackByTheOfficialClient() {
    gsp::backup::GcsTarget target(options(), "test/", kChunk);
    const std::string data = someBytes(5 * kChunk + 12345, 1);
    gsp::backup::ArchiveSums sums;
    gsp::Status up = upload(target, "servers/1/1-a.tar.gz", data, &sums);
    CPPUNIT_ASSERT_MESSAGE(up.message(), up.isOk());
    CPPUNIT_ASSERT(data == readAll(target, "servers/1/1-a.tar.gz"));
    // npm's @google-cloud/storage downloads it and checks CRC32C and MD5 itself.
    int status = 0;
    std::string out = gsp::test::runCommand(gsp::test::env("GSP_TEST_GCS_READ_BACK") + " " + url_ +
                                                " gsp-test test/servers/1/1-a.tar.gz " + sums.crc32c_base64 + " " +
                                                sums.md5_base64 + " " + std::to_string(data.size()),
                                            &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    CPPUNIT_ASSERT(target.remove("servers/1/1-a.tar.gz").isOk());
    CPPUNIT_ASSERT(target.remove("servers/1/1-a.tar.gz").isOk());  // already gone is fine
    CPPUNIT_ASSERT(target.open("servers/1/1-a.tar.gz").status().code() == gsp::Status::Code::kNotFound);
  }

  void anUploadCutTwiceResumesFromWhatTheServiceKept() {
    gsp::backup::GcsTarget target(options(), "test/", 2 * kChunk);
    const std::string data = someBytes(7 * kChunk + 999, 2);
    gsp::backup::ArchiveSums sums;
    // Cut in the middle of the first chunk and again in the third.
    gsp::Status up = upload(target, "servers/1/2-cut.tar.gz", data, &sums,
                            {{0, "{\"cutNextChunkAfterBytes\":300000}"}, {4 * kChunk, "{\"cutNextChunkAfterBytes\":100000}"}});
    CPPUNIT_ASSERT_MESSAGE(up.message(), up.isOk());
    CPPUNIT_ASSERT_MESSAGE(stats(), stats().find("\"cuts\":2") != std::string::npos);
    CPPUNIT_ASSERT(data == readAll(target, "servers/1/2-cut.tar.gz"));
    target.remove("servers/1/2-cut.tar.gz");
  }

  void a503AndAnExpiredTokenAreRetried() {
    gsp::backup::GcsTarget target(options(), "test/", kChunk);
    const std::string data = someBytes(3 * kChunk, 3);
    gsp::backup::ArchiveSums sums;
    gsp::Status up = upload(target, "servers/1/3-retry.tar.gz", data, &sums,
                            {{kChunk, "{\"fail503Once\":true}"}, {2 * kChunk, "{\"expireTokens\":true}"}});
    CPPUNIT_ASSERT_MESSAGE(up.message(), up.isOk());
    CPPUNIT_ASSERT(data == readAll(target, "servers/1/3-retry.tar.gz"));
    const std::string s = stats();
    CPPUNIT_ASSERT_MESSAGE(s, s.find("\"tokensIssued\":2") != std::string::npos);
    target.remove("servers/1/3-retry.tar.gz");
  }

  void wrongSumsLeaveNoObject() {
    gsp::backup::GcsTarget target(options(), "test/", kChunk);
    auto writer = target.create("servers/1/4-bad.tar.gz");
    CPPUNIT_ASSERT(writer.isOk());
    const std::string data = someBytes(kChunk + 10, 4);
    CPPUNIT_ASSERT(writer.value()->write(data.data(), data.size()).isOk());
    gsp::backup::ArchiveSums wrong;
    wrong.crc32c_base64 = "AAAAAA==";
    wrong.md5_base64 = "AAAAAAAAAAAAAAAAAAAAAA==";
    gsp::Status committed = writer.value()->commit(wrong);
    CPPUNIT_ASSERT(!committed.isOk());
    CPPUNIT_ASSERT_MESSAGE(committed.message(), committed.message().find("did not take the backup") != std::string::npos);
    CPPUNIT_ASSERT(target.open("servers/1/4-bad.tar.gz").status().code() == gsp::Status::Code::kNotFound);
  }

  void aMissingOrMalformedKeyFileIsAClearFailure() {
    gsp::backup::GcsTarget missing(options("/nonexistent/key.json"), "test/", kChunk);
    auto w = missing.create("x");
    CPPUNIT_ASSERT(!w.isOk());
    CPPUNIT_ASSERT_MESSAGE(w.status().message(), w.status().message().find("cannot be read") != std::string::npos);
    const std::string bad = key_ + ".broken";
    std::ofstream(bad) << "{\"client_email\": \"x@y\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nnot a key\\n\"}";
    gsp::backup::GcsTarget broken(options(bad), "test/", kChunk);
    w = broken.create("x");
    CPPUNIT_ASSERT(!w.isOk());
    CPPUNIT_ASSERT_MESSAGE(w.status().message(), w.status().message().find("is not usable") != std::string::npos);
    // Nothing of the key in the message.
    CPPUNIT_ASSERT(w.status().message().find("not a key") == std::string::npos);
    std::remove(bad.c_str());
  }

  void aBucketThatRefusesIsAClearFailure() {
    gsp::backup::GcsOptions o = options();
    o.bucket = "no-such-bucket";
    gsp::backup::GcsTarget target(o, "test/", kChunk);
    auto w = target.create("servers/1/5-refused.tar.gz");
    CPPUNIT_ASSERT(!w.isOk());
    CPPUNIT_ASSERT_MESSAGE(w.status().message(), w.status().message().find("did not open an upload: HTTP 404") !=
                                                     std::string::npos);
    CPPUNIT_ASSERT(target.open("servers/1/5-refused.tar.gz").status().code() != gsp::Status::Code::kOk);
  }

  // The double checks the V4 signature against the test key's public half.
  void aSignedUrlServesTheObjectWithItsNameAndRanges() {
    gsp::backup::GcsTarget target(options(), "test/", kChunk);
    const std::string data = someBytes(kChunk + 777, 6);
    gsp::backup::ArchiveSums sums;
    CPPUNIT_ASSERT(upload(target, "servers/1/6-get.tar.gz", data, &sums).isOk());
    auto url = target.downloadUrl("servers/1/6-get.tar.gz", "my world-2026.tar.gz", time(nullptr));
    CPPUNIT_ASSERT_MESSAGE(url.status().message(), url.isOk());
    CPPUNIT_ASSERT_EQUAL(0UL, url->rfind(url_ + "/gsp-test/test/servers/1/6-get.tar.gz?", 0));
    const std::string path = url->substr(url_.size());
    gsp::test::HttpClient c(url_);
    gsp::test::HttpResponse whole = c.get(path);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(whole.body.substr(0, 300), 200L, whole.status);
    CPPUNIT_ASSERT(whole.body == data);
    CPPUNIT_ASSERT_EQUAL(std::string("attachment; filename=\"my world-2026.tar.gz\""), whole.header("content-disposition"));
    gsp::test::HttpResponse part = c.request("GET", path, "", "", {"Range: bytes=100-199"});
    CPPUNIT_ASSERT_EQUAL(206L, part.status);
    CPPUNIT_ASSERT(part.body == data.substr(100, 100));
    // Another object under the same signature, or a changed signature, is refused.
    std::string other = path;
    other.replace(other.find("6-get"), 5, "6-got");
    CPPUNIT_ASSERT_EQUAL(403L, c.get(other).status);
    std::string tampered = path;
    char& last = tampered.back();
    last = last == '0' ? '1' : '0';
    CPPUNIT_ASSERT_EQUAL(403L, c.get(tampered).status);
    // An endpoint with a path would not be signed as it is used: refused.
    gsp::backup::GcsOptions o = options();
    o.endpoint = url_ + "/storage";
    auto bad = gsp::backup::GcsTarget(o, "test/", kChunk).downloadUrl("servers/1/6-get.tar.gz", "x.tar.gz", time(nullptr));
    CPPUNIT_ASSERT(bad.status().code() == gsp::Status::Code::kInvalid);
    target.remove("servers/1/6-get.tar.gz");
  }

  // What an agent killed mid-upload leaves: a session with some chunks kept.
  // A new writer on that session sends only what the service lacks.
  void anOpenUploadIsResumedByAnotherWriter() {
    gsp::backup::GcsTarget first(options(), "test/", kChunk);
    const std::string data = someBytes(6 * kChunk + 4321, 7);
    auto interrupted = first.create("servers/1/7-resumed.tar.gz");
    CPPUNIT_ASSERT(interrupted.isOk());
    CPPUNIT_ASSERT(interrupted.value()->write(data.data(), 3 * kChunk + 5).isOk());  // 3 chunks kept
    const std::string session = interrupted.value()->session();
    CPPUNIT_ASSERT(!session.empty());

    control("{\"reset\":true}");
    gsp::backup::GcsTarget second(options(), "test/", kChunk);
    auto resumed = second.resume("servers/1/7-resumed.tar.gz", session);
    CPPUNIT_ASSERT_MESSAGE(resumed.status().message(), resumed.isOk());
    gsp::backup::ArchiveDigests digests;
    digests.update(data.data(), data.size());
    CPPUNIT_ASSERT(resumed.value()->write(data.data(), data.size()).isOk());
    gsp::Status committed = resumed.value()->commit(digests.finish());
    CPPUNIT_ASSERT_MESSAGE(committed.message(), committed.isOk());
    CPPUNIT_ASSERT(data == readAll(second, "servers/1/7-resumed.tar.gz"));
    // Only the bytes after the three kept chunks crossed the wire again.
    const std::string s = stats();
    CPPUNIT_ASSERT_MESSAGE(s, s.find("\"persistedBytes\":" + std::to_string(data.size() - 3 * kChunk)) != std::string::npos);
    // A session URI that is not an upload on our endpoint never gets our token.
    auto foreign = second.resume("x", "https://attacker.example/upload/storage/v1/b/gsp-test/o?upload_id=1");
    CPPUNIT_ASSERT(foreign.status().code() == gsp::Status::Code::kNotFound);
    second.remove("servers/1/7-resumed.tar.gz");
  }

  void aResumedUploadOfOtherBytesIsAConflict() {
    gsp::backup::GcsTarget target(options(), "test/", kChunk);
    const std::string before = someBytes(3 * kChunk, 8);
    auto interrupted = target.create("servers/1/8-changed.tar.gz");
    CPPUNIT_ASSERT(interrupted.isOk());
    CPPUNIT_ASSERT(interrupted.value()->write(before.data(), 2 * kChunk + 1).isOk());
    auto resumed = target.resume("servers/1/8-changed.tar.gz", interrupted.value()->session());
    CPPUNIT_ASSERT(resumed.isOk());
    const std::string after = someBytes(3 * kChunk, 9);  // the game ran in between
    gsp::backup::ArchiveDigests digests;
    digests.update(after.data(), after.size());
    CPPUNIT_ASSERT(resumed.value()->write(after.data(), after.size()).isOk());
    gsp::Status committed = resumed.value()->commit(digests.finish());
    CPPUNIT_ASSERT(committed.code() == gsp::Status::Code::kConflict);
    CPPUNIT_ASSERT(target.open("servers/1/8-changed.tar.gz").status().code() == gsp::Status::Code::kNotFound);
  }

  void anExpiredSessionIsAClearFailure() {
    gsp::backup::GcsTarget target(options(), "test/", kChunk);
    const std::string data = someBytes(2 * kChunk, 10);
    gsp::backup::ArchiveSums sums;
    gsp::Status up = upload(target, "servers/1/9-expired.tar.gz", data, &sums, {{kChunk, "{\"expireSessionAtNextChunk\":true}"}});
    CPPUNIT_ASSERT(!up.isOk());
    CPPUNIT_ASSERT_EQUAL(std::string("The Cloud Storage upload session expired; the backup must be taken again."), up.message());
    // Resuming an expired session says so; the caller starts a new upload.
    auto open = target.create("servers/1/9-expired.tar.gz");
    CPPUNIT_ASSERT(open.isOk());
    control("{\"expireSessionAtNextChunk\":true}");
    auto resumed = target.resume("servers/1/9-expired.tar.gz", open.value()->session());
    CPPUNIT_ASSERT(resumed.status().code() == gsp::Status::Code::kNotFound);
  }

 private:
  std::string url_;
  std::string key_;
};
CPPUNIT_TEST_SUITE_REGISTRATION(GcsTargetTest);
