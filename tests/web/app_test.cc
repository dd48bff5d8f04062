// The dispatcher without a database: routing, stock error pages, CSRF, the
// sign-in redirect and escaping. None of these requests reach the database
// (no session cookie), so the Database here points nowhere on purpose.
#include <cppunit/extensions/HelperMacros.h>

#include "web/app.h"
#include "web/fake_server_operations.h"
#include "web/request_parser.h"
#include "web/security.h"

using namespace gsp::web;

namespace {

gsp::Config testConfig(bool mock) {
  gsp::Config c;
  c.templates_dir = GSP_TEST_TEMPLATES_DIR;
  c.auth_mock_login = mock;
  c.database.socket = "/nonexistent/mysqld.sock";
  c.database.user = "nobody";
  c.database.name = "nothing";
  c.billing_max_deposit_cents = 50000;
  c.billing_page_size = 25;
  return c;
}

std::string cookieValue(const Response& r, const std::string& name, bool* found) {
  *found = false;
  for (const Cookie& c : r.cookies) {
    if (c.name == name) {
      *found = true;
      return c.value;
    }
  }
  return "";
}

}  // namespace

class AppTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AppTest);
  CPPUNIT_TEST(unknownPathIs404Page);
  CPPUNIT_TEST(wrongMethodIs405WithAllow);
  CPPUNIT_TEST(protectedPageRedirectsToSignInAndBack);
  CPPUNIT_TEST(postWithoutCsrfIs403);
  CPPUNIT_TEST(mockSignInCanBeSwitchedOff);
  CPPUNIT_TEST(mockConsentSetsPreSessionAndCsrf);
  CPPUNIT_TEST(invalidEmailIsRejectedWithMessage);
  CPPUNIT_TEST(internalListenerServesNoPages);
  CPPUNIT_TEST(hostileTextIsEscaped);
  CPPUNIT_TEST(flashIsShownOnceEscaped);
  CPPUNIT_TEST(cookiesAreSecureUnderHttps);
  CPPUNIT_TEST_SUITE_END();

 public:
  Response get(const std::string& uri, bool mock = false, StringMap extra = {}, const std::string& body = "",
               const std::string& method = "GET") {
    gsp::Config config = testConfig(mock);
    Views views(config.templates_dir);
    App app(config, views);
    gsp::db::Database db(config.database);
    extra["REQUEST_METHOD"] = method;
    extra["REQUEST_URI"] = uri;
    if (method == "POST") extra["CONTENT_TYPE"] = "application/x-www-form-urlencoded";
    Request r;
    ParseError e = parseRequest(extra, body, ParseLimits(), &r);
    CPPUNIT_ASSERT(!e.failed());
    gsp::test::FakeServerOperations servers;
    Response response = app.handle(r, db, servers);
    CPPUNIT_ASSERT(servers.calls.empty());  // none of these requests may reach Docker
    return response;
  }
  Response post(const std::string& uri, const std::string& body, StringMap extra = {}, bool mock = false) {
    return get(uri, mock, extra, body, "POST");
  }

  void unknownPathIs404Page() {
    Response r = get("/no/such/page");
    CPPUNIT_ASSERT_EQUAL(404, r.status);
    CPPUNIT_ASSERT(r.body.find("Page not found") != std::string::npos);
    CPPUNIT_ASSERT(r.body.find("/static/style.css") != std::string::npos);  // in the site layout
  }

  void wrongMethodIs405WithAllow() {
    Response r = post("/dashboard", "");
    CPPUNIT_ASSERT_EQUAL(405, r.status);
    bool allow = false;
    for (const auto& h : r.headers) allow |= h.first == "Allow" && h.second == "GET";
    CPPUNIT_ASSERT(allow);
  }

  void protectedPageRedirectsToSignInAndBack() {
    Response r = get("/billing?page=2");
    CPPUNIT_ASSERT_EQUAL(303, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("Location"), r.headers[0].first);
    CPPUNIT_ASSERT_EQUAL(std::string("/auth/login?next=%2Fbilling%3Fpage%3D2"), r.headers[0].second);
  }

  void postWithoutCsrfIs403() {
    CPPUNIT_ASSERT_EQUAL(403, post("/billing/add-funds", "amount=5").status);
    CPPUNIT_ASSERT_EQUAL(403, post("/billing/add-funds", "amount=5&csrf_token=abc").status);
    std::string pre = newToken();
    // A token for another browser's key is refused too.
    Response r = post("/auth/mock-login", "email=a%40b.com&provider=google&csrf_token=" + csrfTokenFor(newToken()),
                      {{"HTTP_COOKIE", "gsp_pre=" + pre}}, true);
    CPPUNIT_ASSERT_EQUAL(403, r.status);
  }

  void mockSignInCanBeSwitchedOff() {
    CPPUNIT_ASSERT_EQUAL(404, get("/auth/mock/google", false).status);
    std::string pre = newToken();
    Response r = post("/auth/mock-login", "email=a%40b.com&provider=google&csrf_token=" + csrfTokenFor(pre),
                      {{"HTTP_COOKIE", "gsp_pre=" + pre}}, false);
    CPPUNIT_ASSERT_EQUAL(404, r.status);
    Response login = get("/auth/login", false);
    CPPUNIT_ASSERT_EQUAL(200, login.status);
    CPPUNIT_ASSERT(login.body.find("/auth/mock/google") == std::string::npos);
    CPPUNIT_ASSERT_EQUAL(404, get("/auth/mock/yahoo", true).status);
  }

  void mockConsentSetsPreSessionAndCsrf() {
    Response r = get("/auth/mock/microsoft?next=%2Fbilling", true);
    CPPUNIT_ASSERT_EQUAL(200, r.status);
    bool found;
    std::string pre = cookieValue(r, "gsp_pre", &found);
    CPPUNIT_ASSERT(found && isWellFormedToken(pre));
    CPPUNIT_ASSERT(r.body.find("value=\"" + csrfTokenFor(pre) + "\"") != std::string::npos);
    CPPUNIT_ASSERT(r.body.find("name=\"next\" value=\"/billing\"") != std::string::npos);
    CPPUNIT_ASSERT(r.body.find("Microsoft") != std::string::npos);
  }

  void invalidEmailIsRejectedWithMessage() {
    std::string pre = newToken();
    Response r = post("/auth/mock-login", "email=not-an-email&provider=google&csrf_token=" + csrfTokenFor(pre),
                      {{"HTTP_COOKIE", "gsp_pre=" + pre}}, true);
    CPPUNIT_ASSERT_EQUAL(422, r.status);
    CPPUNIT_ASSERT(r.body.find("valid email") != std::string::npos);
    CPPUNIT_ASSERT(r.body.find("value=\"not-an-email\"") != std::string::npos);
  }

  void internalListenerServesNoPages() {
    CPPUNIT_ASSERT_EQUAL(404, get("/auth/login", true, {{"GSP_LISTENER", "internal"}}).status);
    CPPUNIT_ASSERT_EQUAL(404, get("/dashboard", true, {{"GSP_LISTENER", "internal"}}).status);
  }

  void hostileTextIsEscaped() {
    std::string pre = newToken();
    Response r = post("/auth/mock-login",
                      "email=%3Cscript%3Ealert(1)%3C%2Fscript%3E&provider=google&csrf_token=" + csrfTokenFor(pre),
                      {{"HTTP_COOKIE", "gsp_pre=" + pre}}, true);
    CPPUNIT_ASSERT(r.body.find("<script>alert") == std::string::npos);
    CPPUNIT_ASSERT(r.body.find("&lt;script&gt;alert(1)") != std::string::npos);
    Response login = get("/auth/login?next=%2F%22%3E%3Cscript%3E", true);
    CPPUNIT_ASSERT(login.body.find("\"><script>") == std::string::npos);
  }

  void flashIsShownOnceEscaped() {
    Response r = get("/auth/login", false, {{"HTTP_COOKIE", "gsp_flash=" + percentEncode("info:<b>hi</b>")}});
    CPPUNIT_ASSERT(r.body.find("&lt;b&gt;hi&lt;/b&gt;") != std::string::npos);
    bool found;
    cookieValue(r, "gsp_flash", &found);
    CPPUNIT_ASSERT(found);  // cleared after being shown
    Response odd = get("/auth/login", false, {{"HTTP_COOKIE", "gsp_flash=" + percentEncode("evil:x")}});
    CPPUNIT_ASSERT(odd.body.find("flash-evil") == std::string::npos);
  }

  void cookiesAreSecureUnderHttps() {
    Response https = get("/auth/mock/google", true, {{"HTTPS", "on"}});
    Response http = get("/auth/mock/google", true);
    CPPUNIT_ASSERT(formatSetCookie(https.cookies.at(0)).find("; Secure") != std::string::npos);
    CPPUNIT_ASSERT(formatSetCookie(http.cookies.at(0)).find("Secure") == std::string::npos);
    CPPUNIT_ASSERT(formatSetCookie(https.cookies.at(0)).find("HttpOnly; Secure; SameSite=Lax") != std::string::npos);
    // Under TLS the cookies carry the __Host- prefix, and only that form is read back.
    CPPUNIT_ASSERT_EQUAL(0UL, formatSetCookie(https.cookies.at(0)).find("__Host-gsp_"));
    CPPUNIT_ASSERT(formatSetCookie(http.cookies.at(0)).find("__Host-") == std::string::npos);
    Request tls;
    tls.https = true;
    tls.cookies = {{"gsp_session", "planted"}, {"__Host-gsp_session", "ours"}};
    CPPUNIT_ASSERT_EQUAL(std::string("ours"), tls.cookie("gsp_session"));
    tls.cookies.erase("__Host-gsp_session");
    CPPUNIT_ASSERT_EQUAL(std::string(""), tls.cookie("gsp_session"));
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(AppTest);
