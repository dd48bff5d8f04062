#include <cppunit/extensions/HelperMacros.h>

#include "core/crypto.h"
#include "web/webhook_signature.h"

using namespace gsp::web;

namespace {
const std::string kSecret = "5e1f" + std::string(60, 'a');
const int64_t kNow = 1800000000;

const std::string kPath = "/api/webhook/wake";

std::string sign(const std::string& ts, const std::string& body, const std::string& path = kPath) {
  return gsp::crypto::toHex(gsp::crypto::hmacSha256(kSecret, "POST\n" + path + "\n" + ts + "\n" + body));
}
}  // namespace

class WebhookSignatureTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WebhookSignatureTest);
  CPPUNIT_TEST(acceptsAFreshCorrectSignature);
  CPPUNIT_TEST(refusesForgedStaleAndMalformed);
  CPPUNIT_TEST(parsesServerIds);
  CPPUNIT_TEST_SUITE_END();

 public:
  void acceptsAFreshCorrectSignature() {
    std::string ts = std::to_string(kNow - 10), body = "{\"server_id\":\"7\"}";
    CPPUNIT_ASSERT(verifyWebhookSignature(kSecret, "POST", kPath, ts, sign(ts, body), body, kNow, 300).isOk());
    std::string upper = sign(ts, body);
    for (char& c : upper) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
    CPPUNIT_ASSERT(verifyWebhookSignature(kSecret, "POST", kPath, ts, upper, body, kNow, 300).isOk());
  }

  void refusesForgedStaleAndMalformed() {
    std::string ts = std::to_string(kNow), body = "{\"server_id\":\"7\"}";
    struct { std::string secret, ts, sig, body; const char* why; std::string path = kPath; } cases[] = {
        {"other-secret", ts, sign(ts, body), body, "another secret"},
        {kSecret, ts, sign(ts, body, "/api/webhook/activity"), body, "signed for another route"},
        {kSecret, ts, sign(ts, body), body, "sent to another route", "/api/webhook/activity"},
        {kSecret, ts, sign(ts, body), body + " ", "body changed"},
        {kSecret, ts, sign(std::to_string(kNow - 1), body), body, "signature of another timestamp"},
        {kSecret, std::to_string(kNow - 301), sign(std::to_string(kNow - 301), body), body, "stale"},
        {kSecret, std::to_string(kNow + 301), sign(std::to_string(kNow + 301), body), body, "from the future"},
        {kSecret, "", sign("", body), body, "no timestamp"},
        {kSecret, "12ab", sign("12ab", body), body, "malformed timestamp"},
        {kSecret, "-5", sign("-5", body), body, "negative timestamp"},
        {kSecret, ts, "", body, "no signature"},
        {kSecret, ts, sign(ts, body).substr(2), body, "short signature"},
    };
    for (const auto& c : cases) {
      gsp::Status s = verifyWebhookSignature(c.secret, "POST", c.path, c.ts, c.sig, c.body, kNow, 300);
      CPPUNIT_ASSERT_MESSAGE(c.why, !s.isOk());
      CPPUNIT_ASSERT_MESSAGE(c.why, s.code() == gsp::Status::Code::kForbidden);
    }
  }

  void parsesServerIds() {
    CPPUNIT_ASSERT_EQUAL(int64_t(42), parseServerIdHeader("42"));
    for (const char* bad : {"", "0", "042", "-1", "4x", "1234567890123456789", " 4"})
      CPPUNIT_ASSERT_EQUAL_MESSAGE(bad, int64_t(0), parseServerIdHeader(bad));
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(WebhookSignatureTest);
