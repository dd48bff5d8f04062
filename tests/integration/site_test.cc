// End-to-end tests of the site through nginx, against the real MariaDB that
// the test command starts. Environment (set by scripts/test.sh):
//   GSP_TEST_BASE_URL    http://127.0.0.1:PORT
//   GSP_TEST_CONFIG      the gsp.ini that gsp-web runs with (database access)
//   GSP_TEST_ADMIN       command line of gsp-admin with that config
//   GSP_TEST_RESTART_DB  command that restarts MariaDB
#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/config.h"
#include "core/crypto.h"
#include "db/database.h"
#include "db/ledger_repository.h"
#include "http_client.h"
#include "test_env.h"
#include "web/security.h"

using gsp::test::formField;
using gsp::test::HttpClient;
using gsp::test::HttpResponse;
using gsp::test::urlEncode;

using gsp::test::csrfOf;
using gsp::test::env;
using gsp::test::runCommand;
using gsp::test::uniqueEmail;

class SiteTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(SiteTest);
  CPPUNIT_TEST(loginPageOffersBothProviders);
  CPPUNIT_TEST(mockLoginEndToEnd);
  CPPUNIT_TEST(sessionCookieFlags);
  CPPUNIT_TEST(redirectAfterLoginComesBack);
  CPPUNIT_TEST(redirectAfterLoginIsNeverOpen);
  CPPUNIT_TEST(csrfRejectionChangesNothing);
  CPPUNIT_TEST(addFundsUpdatesBalanceAndLedger);
  CPPUNIT_TEST(badAmountsAreRejectedClearly);
  CPPUNIT_TEST(resubmittedDepositCountsOnce);
  CPPUNIT_TEST(concurrentDepositsAllCount);
  CPPUNIT_TEST(ledgerIsPaginatedNewestFirst);
  CPPUNIT_TEST(logoutRevokesSessionServerSide);
  CPPUNIT_TEST(cachedPagesShowOwnChangesAtOnce);
  CPPUNIT_TEST(cachedPagesShowOtherProcessesChanges);
  CPPUNIT_TEST(forgedSessionCookieIsIgnored);
  CPPUNIT_TEST(dashboardShowsEmptyState);
  CPPUNIT_TEST(errorPages);
  CPPUNIT_TEST(securityHeaders);
  CPPUNIT_TEST(serverRoutesAreRateLimitedPerSession);
  CPPUNIT_TEST(aConcurrentDuplicateDepositIsTheSameDeposit);
  CPPUNIT_TEST(aLookAlikeAddressIsAnotherAccount);
  CPPUNIT_TEST(webhookPathIsNotPublic);
  CPPUNIT_TEST(migrateTwiceIsSafe);
  CPPUNIT_TEST(requestAfterDatabaseRestartSucceeds);
  CPPUNIT_TEST(signInPagesAreRateLimited);  // last: it uses up this address's /auth budget
  CPPUNIT_TEST_SUITE_END();

  std::string base_;
  gsp::Config config_;

 public:
  void setUp() override {
    base_ = env("GSP_TEST_BASE_URL");
    config_ = gsp::test::testConfig();
  }

  HttpClient signIn(const std::string& email, const std::string& next = "/dashboard",
                    HttpResponse* final_response = nullptr) {
    return gsp::test::signIn(base_, email, next, final_response);
  }

  int64_t userId(gsp::db::Database& db, const std::string& email) {
    auto rs = db.sql("SELECT id FROM users WHERE email = ?").arg(email).rows();
    CPPUNIT_ASSERT(rs->next());
    return rs->getInt64(1);
  }

  void loginPageOffersBothProviders() {
    HttpClient c(base_);
    HttpResponse r = c.get("/auth/login");
    CPPUNIT_ASSERT_EQUAL(200L, r.status);
    CPPUNIT_ASSERT(r.body.find("Continue with Google") != std::string::npos);
    CPPUNIT_ASSERT(r.body.find("Continue with Microsoft") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(404L, c.get("/auth/mock/yahoo").status);
  }

  void mockLoginEndToEnd() {
    std::string email = uniqueEmail("e2e");
    HttpResponse login;
    HttpClient c = signIn(email, "/dashboard", &login);
    CPPUNIT_ASSERT_EQUAL(std::string("/dashboard"), login.header("location"));
    HttpResponse dash = c.get("/dashboard");
    CPPUNIT_ASSERT_EQUAL(200L, dash.status);
    CPPUNIT_ASSERT(dash.body.find(email) != std::string::npos);
    HttpResponse bill = c.get("/billing");
    CPPUNIT_ASSERT(bill.body.find("Welcome credit") != std::string::npos);
    CPPUNIT_ASSERT(bill.body.find("$5.00") != std::string::npos);
    // Signing in again reuses the account and gives no second welcome credit.
    HttpClient again = signIn(email);
    gsp::db::Database db(config_.database);
    CPPUNIT_ASSERT_EQUAL(int64_t(500), gsp::db::LedgerRepository(db).balance(userId(db, email)));
    CPPUNIT_ASSERT_EQUAL(int64_t(1), gsp::db::LedgerRepository(db).count(userId(db, email)));
  }

  void sessionCookieFlags() {
    HttpResponse login;
    signIn(uniqueEmail("flags"), "/dashboard", &login);
    std::string set = login.setCookie("gsp_session");
    CPPUNIT_ASSERT_MESSAGE(set, !set.empty());
    CPPUNIT_ASSERT(set.find("HttpOnly") != std::string::npos);
    CPPUNIT_ASSERT(set.find("SameSite=Lax") != std::string::npos);
    CPPUNIT_ASSERT(set.find("Path=/") != std::string::npos);
    CPPUNIT_ASSERT(set.find("Max-Age=") != std::string::npos);
    CPPUNIT_ASSERT(set.find("Secure") == std::string::npos);  // plain http here
    std::string token = set.substr(12, 64);
    CPPUNIT_ASSERT(gsp::web::isWellFormedToken(token));
    // Only the hash is stored.
    gsp::db::Database db(config_.database);
    auto rs = db.sql("SELECT COUNT(*) FROM sessions WHERE token_hash = ?").arg(token).rows();
    rs->next();
    CPPUNIT_ASSERT_EQUAL(0, rs->getInt(1));
    rs = db.sql("SELECT COUNT(*) FROM sessions WHERE token_hash = ?").arg(gsp::web::tokenHash(token)).rows();
    rs->next();
    CPPUNIT_ASSERT_EQUAL(1, rs->getInt(1));
  }

  void redirectAfterLoginComesBack() {
    HttpClient anon(base_);
    HttpResponse r = anon.get("/billing?page=1");
    CPPUNIT_ASSERT_EQUAL(303L, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/auth/login?next=%2Fbilling%3Fpage%3D1"), r.header("location"));
    HttpResponse login;
    HttpClient c = signIn(uniqueEmail("next"), "/billing?page=1", &login);
    CPPUNIT_ASSERT_EQUAL(std::string("/billing?page=1"), login.header("location"));
  }

  void redirectAfterLoginIsNeverOpen() {
    for (const char* next : {"//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"}) {
      HttpResponse login;
      signIn(uniqueEmail("open"), next, &login);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(next, std::string("/dashboard"), login.header("location"));
    }
  }

  void csrfRejectionChangesNothing() {
    std::string email = uniqueEmail("csrf");
    HttpClient c = signIn(email);
    std::string key = gsp::web::newToken().substr(0, 32);
    HttpResponse none = c.post("/billing/add-funds", "amount=10&idempotency_key=" + key);
    CPPUNIT_ASSERT_EQUAL(403L, none.status);
    HttpResponse wrong = c.post("/billing/add-funds", "amount=10&csrf_token=" + gsp::web::csrfTokenFor(gsp::web::newToken()) +
                                                          "&idempotency_key=" + key);
    CPPUNIT_ASSERT_EQUAL(403L, wrong.status);
    // Another user's valid token does not work either.
    HttpClient other = signIn(uniqueEmail("csrf-other"));
    HttpResponse foreign = c.post("/billing/add-funds", "amount=10&csrf_token=" + csrfOf(other) + "&idempotency_key=" + key);
    CPPUNIT_ASSERT_EQUAL(403L, foreign.status);
    gsp::db::Database db(config_.database);
    CPPUNIT_ASSERT_EQUAL(int64_t(500), gsp::db::LedgerRepository(db).balance(userId(db, email)));
  }

  void addFundsUpdatesBalanceAndLedger() {
    std::string email = uniqueEmail("funds");
    HttpClient c = signIn(email);
    HttpResponse page = c.get("/billing");
    HttpResponse r = c.post("/billing/add-funds", "amount=25&csrf_token=" + formField(page.body, "csrf_token") +
                                                      "&idempotency_key=" + formField(page.body, "idempotency_key"));
    CPPUNIT_ASSERT_EQUAL(303L, r.status);
    CPPUNIT_ASSERT_EQUAL(std::string("/billing"), r.header("location"));
    HttpResponse after = c.get("/billing");
    CPPUNIT_ASSERT(after.body.find("Added $25.00. Your balance is $30.00.") != std::string::npos);
    CPPUNIT_ASSERT(after.body.find("DEPOSIT") != std::string::npos);
    gsp::db::Database db(config_.database);
    gsp::db::LedgerRepository ledger(db);
    int64_t id = userId(db, email);
    CPPUNIT_ASSERT_EQUAL(int64_t(3000), ledger.balance(id));
    CPPUNIT_ASSERT_EQUAL(ledger.balance(id), ledger.sumOfEntries(id));
    // The flash shows once.
    CPPUNIT_ASSERT(c.get("/billing").body.find("Added $25.00") == std::string::npos);
  }

  void badAmountsAreRejectedClearly() {
    std::string email = uniqueEmail("bad");
    HttpClient c = signIn(email);
    struct { const char* amount; const char* message; } cases[] = {
        {"0", "at least $1"}, {"-5", "whole number"}, {"abc", "whole number"}, {"1.50", "whole number"},
        {"", "Enter an amount"}, {"100000", "The most you can add"}, {"1e3", "whole number"},
        {"99999999999999999999999", "The most you can add"},
    };
    for (const auto& bad : cases) {
      HttpResponse page = c.get("/billing");
      HttpResponse r = c.post("/billing/add-funds", "amount=" + urlEncode(bad.amount) + "&csrf_token=" +
                                                        formField(page.body, "csrf_token") + "&idempotency_key=" +
                                                        formField(page.body, "idempotency_key"));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(bad.amount, 422L, r.status);
      CPPUNIT_ASSERT_MESSAGE(bad.amount, r.body.find(bad.message) != std::string::npos);
    }
    gsp::db::Database db(config_.database);
    gsp::db::LedgerRepository ledger(db);
    CPPUNIT_ASSERT_EQUAL(int64_t(500), ledger.balance(userId(db, email)));
    CPPUNIT_ASSERT_EQUAL(int64_t(1), ledger.count(userId(db, email)));
  }

  void resubmittedDepositCountsOnce() {
    std::string email = uniqueEmail("twice");
    HttpClient c = signIn(email);
    HttpResponse page = c.get("/billing");
    std::string body = "amount=7&csrf_token=" + formField(page.body, "csrf_token") +
                       "&idempotency_key=" + formField(page.body, "idempotency_key");
    CPPUNIT_ASSERT_EQUAL(303L, c.post("/billing/add-funds", body).status);
    CPPUNIT_ASSERT_EQUAL(303L, c.post("/billing/add-funds", body).status);
    CPPUNIT_ASSERT(c.get("/billing").body.find("already recorded") != std::string::npos);
    gsp::db::Database db(config_.database);
    CPPUNIT_ASSERT_EQUAL(int64_t(1200), gsp::db::LedgerRepository(db).balance(userId(db, email)));
  }

  // Accounts are (provider, subject), compared byte for byte: an address
  // that a case- and accent-blind collation would take for another is its
  // own account; the same address (any ASCII case) is the same account.
  void aLookAlikeAddressIsAnotherAccount() {
    const std::string email = uniqueEmail("look");  // look-xxxxxxxx@example.com
    std::string lookalike = email;
    lookalike.replace(lookalike.find("@example"), 8, "@ex\xc3\xa4mple");  // exämple
    HttpClient owner = signIn(email);
    HttpResponse page = owner.get("/billing");
    CPPUNIT_ASSERT_EQUAL(303L, owner.post("/billing/add-funds", "amount=20&csrf_token=" + formField(page.body, "csrf_token") +
                                                                "&idempotency_key=" + formField(page.body, "idempotency_key"))
                                   .status);
    HttpClient other = signIn(lookalike);
    gsp::db::Database db(config_.database);
    gsp::db::LedgerRepository ledger(db);
    CPPUNIT_ASSERT(userId(db, email) != userId(db, lookalike));
    CPPUNIT_ASSERT_EQUAL(int64_t(2500), ledger.balance(userId(db, email)));
    CPPUNIT_ASSERT_EQUAL(int64_t(500), ledger.balance(userId(db, lookalike)));
    std::string upper = email;
    for (char& ch : upper) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
    signIn(upper);
    CPPUNIT_ASSERT_EQUAL(int64_t(1), static_cast<int64_t>(countUsers(db, email)));
  }

  int countUsers(gsp::db::Database& db, const std::string& email) {
    auto rs = db.sql("SELECT COUNT(*) FROM users WHERE email = ?").arg(email).rows();
    rs->next();
    return rs->getInt(1);
  }

  // A double click that sends one deposit twice at the same moment: both are
  // answered (the same deposit), none with a 500, and it counts once.
  void aConcurrentDuplicateDepositIsTheSameDeposit() {
    std::string email = uniqueEmail("double");
    HttpClient c = signIn(email);
    HttpResponse page = c.get("/billing");
    const std::string body = "amount=9&csrf_token=" + formField(page.body, "csrf_token") +
                             "&idempotency_key=" + formField(page.body, "idempotency_key");
    const std::string session = c.cookie("gsp_session");
    std::vector<long> statuses(8, 0);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < statuses.size(); ++i) {
      threads.emplace_back([&, i] {
        HttpClient same(base_);
        same.setCookie("gsp_session", session);
        statuses[i] = same.post("/billing/add-funds", body).status;
      });
    }
    for (std::thread& t : threads) t.join();
    for (long s : statuses) CPPUNIT_ASSERT_EQUAL(303L, s);
    gsp::db::Database db(config_.database);
    CPPUNIT_ASSERT_EQUAL(int64_t(1400), gsp::db::LedgerRepository(db).balance(userId(db, email)));
  }

  void concurrentDepositsAllCount() {
    std::string email = uniqueEmail("race");
    HttpClient c = signIn(email);
    std::string csrf = csrfOf(c);
    std::string session = c.cookie("gsp_session");
    std::vector<std::thread> threads;
    std::vector<long> statuses(20, 0);
    for (int i = 0; i < 20; ++i) {
      threads.emplace_back([&, i] {
        HttpClient mine(base_);
        mine.setCookie("gsp_session", session);
        std::string key = gsp::crypto::toHex(gsp::crypto::randomBytes(16));
        statuses[i] = mine.post("/billing/add-funds", "amount=1&csrf_token=" + csrf + "&idempotency_key=" + key).status;
      });
    }
    for (auto& t : threads) t.join();
    for (long s : statuses) CPPUNIT_ASSERT_EQUAL(303L, s);
    gsp::db::Database db(config_.database);
    gsp::db::LedgerRepository ledger(db);
    int64_t id = userId(db, email);
    CPPUNIT_ASSERT_EQUAL(int64_t(500 + 20 * 100), ledger.balance(id));
    CPPUNIT_ASSERT_EQUAL(ledger.balance(id), ledger.sumOfEntries(id));
    CPPUNIT_ASSERT_EQUAL(int64_t(21), ledger.count(id));
  }

  void ledgerIsPaginatedNewestFirst() {
    std::string email = uniqueEmail("pages");
    HttpClient c = signIn(email);
    std::string csrf = csrfOf(c);
    for (int i = 1; i <= 30; ++i) {
      std::string key = gsp::crypto::toHex(gsp::crypto::randomBytes(16));
      CPPUNIT_ASSERT_EQUAL(303L, c.post("/billing/add-funds", "amount=" + std::to_string(i) + "&csrf_token=" + csrf +
                                                                  "&idempotency_key=" + key).status);
    }
    HttpResponse first = c.get("/billing");
    CPPUNIT_ASSERT(first.body.find("Page 1 of 2") != std::string::npos);
    // Newest first: the $30 deposit comes before the $29 one.
    size_t thirty = first.body.find("$30.00</td>"), twenty_nine = first.body.find("$29.00</td>");
    CPPUNIT_ASSERT(thirty != std::string::npos && twenty_nine != std::string::npos && thirty < twenty_nine);
    HttpResponse second = c.get("/billing?page=2");
    CPPUNIT_ASSERT(second.body.find("Page 2 of 2") != std::string::npos);
    CPPUNIT_ASSERT(second.body.find("Welcome credit") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/billing?page=999").status);
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/billing?page=-1").status);
  }

  void logoutRevokesSessionServerSide() {
    HttpClient c = signIn(uniqueEmail("logout"));
    std::string token = c.cookie("gsp_session");
    // Twice: the second may come from the page cache, which must not outlive the session.
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/dashboard").status);
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/dashboard").status);
    // Signing out is a POST with the CSRF token: a GET (a link, an <img> on another site) does nothing.
    CPPUNIT_ASSERT_EQUAL(405L, c.get("/auth/logout").status);
    CPPUNIT_ASSERT_EQUAL(403L, c.post("/auth/logout", "csrf_token=forged").status);
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/dashboard").status);
    HttpResponse out = c.post("/auth/logout", "csrf_token=" + gsp::test::csrfOf(c));
    CPPUNIT_ASSERT_EQUAL(303L, out.status);
    CPPUNIT_ASSERT(out.setCookie("gsp_session").find("Max-Age=0") != std::string::npos);
    gsp::db::Database db(config_.database);
    auto rs = db.sql("SELECT COUNT(*) FROM sessions WHERE token_hash = ?").arg(gsp::web::tokenHash(token)).rows();
    rs->next();
    CPPUNIT_ASSERT_EQUAL(0, rs->getInt(1));
    // A copy of the old cookie is worthless now.
    HttpClient replay(base_);
    replay.setCookie("gsp_session", token);
    CPPUNIT_ASSERT_EQUAL(303L, replay.get("/dashboard").status);
  }

  // The page cache (web/page_cache.h) replays dashboard and billing pages; a
  // user's own change shows on the very next page, flash or no flash.
  void cachedPagesShowOwnChangesAtOnce() {
    HttpClient c = signIn(uniqueEmail("cache-own"));
    HttpResponse page = c.get("/billing");
    bool hit = false;
    for (int i = 0; i < 20 && !hit; ++i) {
      HttpResponse r = c.get("/billing");
      CPPUNIT_ASSERT(r.body.find("$5.00") != std::string::npos);
      hit = r.header("x-page-cache") == "hit";
    }
    CPPUNIT_ASSERT_MESSAGE("the billing page is replayed while nothing changes", hit);
    CPPUNIT_ASSERT(c.get("/dashboard").body.find("$5.00") != std::string::npos);
    for (int amount : {7, 11}) {
      page = c.get("/billing");
      HttpResponse r = c.post("/billing/add-funds", "amount=" + std::to_string(amount) + "&csrf_token=" +
                                                        formField(page.body, "csrf_token") +
                                                        "&idempotency_key=" + formField(page.body, "idempotency_key"));
      CPPUNIT_ASSERT_EQUAL(303L, r.status);
      c.get("/billing");  // shows and clears the flash
    }
    // No flash now: exactly the kind of request the cache answers, but not
    // with the page from before the deposits.
    std::string balance = "$23.00";
    HttpResponse after = c.get("/billing");
    CPPUNIT_ASSERT(after.header("x-page-cache") != "hit");
    CPPUNIT_ASSERT(after.body.find(balance) != std::string::npos);
    CPPUNIT_ASSERT(c.get("/dashboard").body.find(balance) != std::string::npos);
    CPPUNIT_ASSERT(c.get("/billing?page=1").body.find(balance) != std::string::npos);
  }

  // Another process (the lifecycle helper charging an hour) writes straight to
  // the database; the pages show it within web.page-cache-ms (100 ms here).
  void cachedPagesShowOtherProcessesChanges() {
    std::string email = uniqueEmail("cache-other");
    HttpClient c = signIn(email);
    for (int i = 0; i < 3; ++i) CPPUNIT_ASSERT(c.get("/billing").body.find("$5.00") != std::string::npos);
    gsp::db::Database db(config_.database);
    int64_t id = userId(db, email);
    {
      gsp::db::Transaction tx(db);
      gsp::db::LedgerRepository(db).appendInTransaction(id, -125, gsp::db::EntryType::kHourlyCharge,
                                                        "One hour of a test server", "");
      tx.commit();
    }
    bool billing_shows = false, dashboard_shows = false;
    for (int i = 0; i < 100 && !(billing_shows && dashboard_shows); ++i) {
      billing_shows = c.get("/billing").body.find("$3.75") != std::string::npos;
      dashboard_shows = c.get("/dashboard").body.find("$3.75") != std::string::npos;
      if (!(billing_shows && dashboard_shows)) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CPPUNIT_ASSERT_MESSAGE("billing shows the charge made elsewhere", billing_shows);
    CPPUNIT_ASSERT_MESSAGE("dashboard shows the balance after it", dashboard_shows);
  }

  void forgedSessionCookieIsIgnored() {
    for (const std::string& forged : {gsp::web::newToken(), std::string("not-a-token"), std::string(500, 'a')}) {
      HttpClient c(base_);
      c.setCookie("gsp_session", forged);
      HttpResponse r = c.get("/dashboard");
      CPPUNIT_ASSERT_EQUAL(303L, r.status);
      CPPUNIT_ASSERT(r.header("location").find("/auth/login") == 0);
    }
  }

  void dashboardShowsEmptyState() {
    HttpClient c = signIn(uniqueEmail("empty"));
    HttpResponse r = c.get("/dashboard");
    CPPUNIT_ASSERT_EQUAL(200L, r.status);
    CPPUNIT_ASSERT(r.body.find("No servers yet") != std::string::npos);
  }

  void errorPages() {
    HttpClient c = signIn(uniqueEmail("errors"));
    HttpResponse nf = c.get("/no/such/page");
    CPPUNIT_ASSERT_EQUAL(404L, nf.status);
    CPPUNIT_ASSERT(nf.body.find("Page not found") != std::string::npos);
    HttpResponse na = c.request("DELETE", "/dashboard", "", "");
    CPPUNIT_ASSERT_EQUAL(405L, na.status);
    CPPUNIT_ASSERT_EQUAL(std::string("GET"), na.header("allow"));
    CPPUNIT_ASSERT(na.body.find("Method not allowed") != std::string::npos);
    HttpResponse big = c.post("/billing/add-funds", "amount=1&pad=" + std::string(100 * 1024, 'x'));
    CPPUNIT_ASSERT_EQUAL(413L, big.status);
    CPPUNIT_ASSERT(big.body.find("Too large") != std::string::npos);
    HttpResponse bad = c.get("/dashboard?q=%zz");
    CPPUNIT_ASSERT_EQUAL(400L, bad.status);
    CPPUNIT_ASSERT(bad.body.find("Bad request") != std::string::npos);
    HttpResponse forbidden = c.post("/billing/add-funds", "amount=1");
    CPPUNIT_ASSERT_EQUAL(403L, forbidden.status);
    CPPUNIT_ASSERT(forbidden.body.find("Forbidden") != std::string::npos);
  }

  void securityHeaders() {
    HttpClient c(base_);
    HttpResponse r = c.get("/auth/login");
    CPPUNIT_ASSERT(r.header("content-security-policy").find("default-src 'self'") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), r.header("x-content-type-options"));
    CPPUNIT_ASSERT_EQUAL(std::string("DENY"), r.header("x-frame-options"));
    CPPUNIT_ASSERT_EQUAL(std::string("no-store"), r.header("cache-control"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), r.header("strict-transport-security"));  // plain HTTP here
    // The static files carry the same headers (a location's own add_header would drop them).
    HttpResponse css = c.get("/static/style.css");
    CPPUNIT_ASSERT_EQUAL(200L, css.status);
    CPPUNIT_ASSERT(css.header("content-security-policy").find("default-src 'self'") != std::string::npos);
    CPPUNIT_ASSERT_EQUAL(std::string("nosniff"), css.header("x-content-type-options"));
    CPPUNIT_ASSERT_EQUAL(std::string("DENY"), css.header("x-frame-options"));
    CPPUNIT_ASSERT(css.header("cache-control").find("max-age=3600") != std::string::npos);
  }

  // The server routes are limited per signed-in session: one session flooding
  // them gets 429s while another session is served.
  void serverRoutesAreRateLimitedPerSession() {
    HttpClient flood = signIn(uniqueEmail("flood"));
    HttpClient calm = signIn(uniqueEmail("calm"));
    int limited = 0;
    for (int i = 0; i < 1000 && limited == 0; ++i) limited += flood.get("/servers/999999999/status").status == 429;
    CPPUNIT_ASSERT(limited > 0);
    CPPUNIT_ASSERT_EQUAL(404L, calm.get("/servers/999999999/status").status);
  }

  void webhookPathIsNotPublic() {
    HttpClient c(base_);
    CPPUNIT_ASSERT_EQUAL(404L, c.request("POST", "/api/webhook/wake", "{}", "application/json").status);
    CPPUNIT_ASSERT_EQUAL(404L, c.get("/api/webhook/activity").status);
  }

  void migrateTwiceIsSafe() {
    int status = 0;
    std::string out = runCommand(env("GSP_TEST_ADMIN") + " migrate", &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    CPPUNIT_ASSERT_MESSAGE(out, out.find("up to date") != std::string::npos);
    out = runCommand(env("GSP_TEST_ADMIN") + " migrations", &status);
    CPPUNIT_ASSERT_MESSAGE(out, out.find("pending") == std::string::npos);
    gsp::db::Database db(config_.database);
    auto rs = db.sql("SELECT COUNT(*) FROM game_images WHERE slug IN ('minecraft-java','valheim','satisfactory','demo-game')").rows();
    rs->next();
    CPPUNIT_ASSERT_EQUAL(4, rs->getInt(1));
  }

  void requestAfterDatabaseRestartSucceeds() {
    HttpClient c = signIn(uniqueEmail("restart"));
    // Touch every worker's connection first, so they all hold a connection that the restart kills.
    for (int i = 0; i < 20; ++i) CPPUNIT_ASSERT_EQUAL(200L, c.get("/billing").status);
    int status = 0;
    std::string out = runCommand(env("GSP_TEST_RESTART_DB"), &status);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, status);
    for (int i = 0; i < 20; ++i) {
      HttpResponse r = c.get("/billing");
      CPPUNIT_ASSERT_EQUAL_MESSAGE("request " + std::to_string(i) + " after restart", 200L, r.status);
    }
  }

  void signInPagesAreRateLimited() {
    HttpClient c(base_);
    int limited = 0;
    for (int i = 0; i < 400 && limited == 0; ++i) limited += c.get("/auth/login").status == 429;
    CPPUNIT_ASSERT(limited > 0);
    CPPUNIT_ASSERT_EQUAL(200L, c.get("/static/style.css").status);  // only /auth is limited
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(SiteTest);
