// Tests of the signed webhook calls: the signature a backend must recompute,
// the request bytes, the JSON bodies and the response status parser.
#include <cppunit/extensions/HelperMacros.h>

#include "core/crypto.h"
#include "webhook_request.h"

using namespace gsp::proxy;

class WebhookRequestTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(WebhookRequestTest);
  CPPUNIT_TEST(signatureIsHmacOfTimestampDotBody);
  CPPUNIT_TEST(signatureChangesWithEveryInput);
  CPPUNIT_TEST(requestCarriesSigningHeadersAndBody);
  CPPUNIT_TEST(unixRequestUsesLocalhostHost);
  CPPUNIT_TEST(bodiesAreJsonWithEscapedStrings);
  CPPUNIT_TEST(statusLineParsing);
  CPPUNIT_TEST_SUITE_END();

 public:
  void signatureIsHmacOfTimestampDotBody() {
    // Fixed vector, also quoted in proxy/README.md for the backend's own test:
    // printf 'POST\n/api/webhook/wake\n1700000000\n{"a":1}' | openssl dgst -sha256 -hmac 'test-secret-0123456789'
    CPPUNIT_ASSERT_EQUAL(std::string("20098accfe49a463971f04c50c23a9992686ab691dcc2016aa3a9e61dcb4d2b1"),
                         signWebhook("test-secret-0123456789", "POST", "/api/webhook/wake", "1700000000", "{\"a\":1}"));
  }

  void signatureChangesWithEveryInput() {
    auto sign = [](const std::string& secret, const std::string& path, const std::string& ts, const std::string& body) {
      return signWebhook(secret, "POST", path, ts, body);
    };
    std::string base = sign("secret-aaaaaaaaaaaa", "/w", "1", "{}");
    CPPUNIT_ASSERT(base != sign("secret-aaaaaaaaaaab", "/w", "1", "{}"));
    CPPUNIT_ASSERT(base != sign("secret-aaaaaaaaaaaa", "/w", "2", "{}"));
    CPPUNIT_ASSERT(base != sign("secret-aaaaaaaaaaaa", "/w", "1", "{ }"));
    CPPUNIT_ASSERT(base != sign("secret-aaaaaaaaaaaa", "/a", "1", "{}"));  // another route
    CPPUNIT_ASSERT(base != signWebhook("secret-aaaaaaaaaaaa", "GET", "/w", "1", "{}"));
    // The separators matter: "1" + "2{}" must not sign like "12" + "{}".
    CPPUNIT_ASSERT(sign("k-0123456789abcdef", "/w", "1", "2{}") != sign("k-0123456789abcdef", "/w", "12", "{}"));
  }

  void requestCarriesSigningHeadersAndBody() {
    BackendUrl url;
    std::string error;
    CPPUNIT_ASSERT(parseBackendUrl("http://127.0.0.1:8080/api/webhook/wake", &url, &error));
    std::string body = "{\"event\":\"wake\"}";
    std::string req = buildWebhookRequest(url, "42", "secret-0123456789", 1700000000, body);
    CPPUNIT_ASSERT_EQUAL(0, req.compare(0, 36, "POST /api/webhook/wake HTTP/1.1\r\nHos"));
    CPPUNIT_ASSERT(req.find("\r\nHost: 127.0.0.1:8080\r\n") != std::string::npos);
    CPPUNIT_ASSERT(req.find("\r\nX-GSP-Server: 42\r\n") != std::string::npos);
    CPPUNIT_ASSERT(req.find("\r\nX-GSP-Timestamp: 1700000000\r\n") != std::string::npos);
    CPPUNIT_ASSERT(req.find("\r\nX-GSP-Signature: " +
                            signWebhook("secret-0123456789", "POST", "/api/webhook/wake", "1700000000", body) +
                            "\r\n") != std::string::npos);
    CPPUNIT_ASSERT(req.find("\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") != std::string::npos);
    CPPUNIT_ASSERT(req.find("\r\nConnection: close\r\n") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(body, req.substr(req.find("\r\n\r\n") + 4));
    CPPUNIT_ASSERT(req.find("secret-0123456789") == std::string::npos);  // never the secret itself
  }

  void unixRequestUsesLocalhostHost() {
    BackendUrl url;
    std::string error;
    CPPUNIT_ASSERT(parseBackendUrl("unix:/run/gsp/webhook.sock:/api/webhook/activity", &url, &error));
    std::string req = buildWebhookRequest(url, "7", "secret-0123456789", 1, "{}");
    CPPUNIT_ASSERT_EQUAL(0, req.compare(0, 40, "POST /api/webhook/activity HTTP/1.1\r\nHos"));
    CPPUNIT_ASSERT(req.find("\r\nHost: localhost\r\n") != std::string::npos);
  }

  void bodiesAreJsonWithEscapedStrings() {
    CPPUNIT_ASSERT_EQUAL(std::string("\"a\\\"b\\\\c\\n\\u0001\""), jsonString("a\"b\\c\n\x01"));
    WakeCall call;
    call.server_id = "42";
    call.protocol = Protocol::kUdp;
    call.public_port = 2456;
    call.client = "203.0.113.7";
    call.reason = "udp";
    CPPUNIT_ASSERT_EQUAL(std::string("{\"event\":\"wake\",\"server_id\":\"42\",\"protocol\":\"udp\",\"port\":2456,"
                                     "\"client\":\"203.0.113.7\",\"reason\":\"udp\",\"sent_at\":5}"),
                         wakeBody(call, 5));
    ActivityReport r;
    r.server_id = "42";
    r.tcp_connections = 3;
    r.udp_sessions = 1;
    r.bytes_from_clients = 100;
    r.bytes_to_clients = 200;
    r.last_traffic_unix = 1700000000;
    r.upstream_up = true;
    r.reason = "interval";
    CPPUNIT_ASSERT_EQUAL(std::string("{\"event\":\"activity\",\"server_id\":\"42\",\"tcp_connections\":3,"
                                     "\"udp_sessions\":1,\"held_clients\":0,\"bytes_from_clients\":100,"
                                     "\"bytes_to_clients\":200,\"last_traffic_at\":1700000000,"
                                     "\"dropped_datagrams\":0,\"upstream_up\":true,\"reason\":\"interval\","
                                     "\"sent_at\":6}"),
                         activityBody(r, 6));
  }

  void statusLineParsing() {
    struct Case { std::string head; int want; } cases[] = {
        {"HTTP/1.1 200 OK\r\n", 200},   {"HTTP/1.0 204 No Content\r\n", 204},
        {"HTTP/1.1 402\r\n", 402},      {"HTTP/1.1 500 Internal", 500},
        {"HTTP/1.1 20 OK\r\n", 0},      {"HTTP/2 200 OK\r\n", 0},
        {"", 0},                        {"garbage garbage garbage", 0},
        {"HTTP/1.1 2000 OK\r\n", 0},    {"HTTP/1.1 099 x\r\n", 0},
    };
    for (const auto& c : cases) CPPUNIT_ASSERT_EQUAL_MESSAGE(c.head, c.want, parseHttpStatus(c.head));
  }
};

CPPUNIT_TEST_SUITE_REGISTRATION(WebhookRequestTest);
