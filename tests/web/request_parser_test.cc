#include <cppunit/extensions/HelperMacros.h>

#include "web/request_parser.h"

using namespace gsp::web;

namespace {

StringMap cgi(const std::string& method, const std::string& uri, StringMap extra = {}) {
  extra["REQUEST_METHOD"] = method;
  extra["REQUEST_URI"] = uri;
  return extra;
}

}  // namespace

class RequestParserTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(RequestParserTest);
  CPPUNIT_TEST(decodesPercentAndPlus);
  CPPUNIT_TEST(rejectsBadEncodings);
  CPPUNIT_TEST(encodesAndDecodesRoundTrip);
  CPPUNIT_TEST(parsesQueryAndForm);
  CPPUNIT_TEST(parsesCookiesLeniently);
  CPPUNIT_TEST(rejectsHostileRequests);
  CPPUNIT_TEST(enforcesLimits);
  CPPUNIT_TEST(readsHeadersAndFlags);
  CPPUNIT_TEST(survivesRandomBytes);
  CPPUNIT_TEST_SUITE_END();

 public:
  void decodesPercentAndPlus() {
    std::string out;
    CPPUNIT_ASSERT(percentDecode("a%20b+c", true, &out));
    CPPUNIT_ASSERT_EQUAL(std::string("a b c"), out);
    CPPUNIT_ASSERT(percentDecode("a%20b+c", false, &out));
    CPPUNIT_ASSERT_EQUAL(std::string("a b+c"), out);
    CPPUNIT_ASSERT(percentDecode("%C3%A9%F0%9F%8E%AE", false, &out));
    CPPUNIT_ASSERT_EQUAL(std::string("é🎮"), out);
  }

  void rejectsBadEncodings() {
    const char* bad[] = {"%", "%4", "%zz", "abc%", "%00", "a%0Ab%07", "%C3", "%C0%AF", "%ED%A0%80",
                         "%F4%90%80%80", "%FF", "\x7f"};
    std::string out;
    for (const char* b : bad) CPPUNIT_ASSERT_MESSAGE(b, !percentDecode(b, true, &out));
  }

  void encodesAndDecodesRoundTrip() {
    std::string s = "/billing?page=2&x=é ;\"<>", back;
    CPPUNIT_ASSERT(percentDecode(percentEncode(s), false, &back));
    CPPUNIT_ASSERT_EQUAL(s, back);
    CPPUNIT_ASSERT(percentEncode(s).find_first_of("?&=;\" <>") == std::string::npos);
  }

  void parsesQueryAndForm() {
    Request r;
    StringMap p = cgi("POST", "/billing/add-funds?page=3&empty=&flag&dup=1&dup=2",
                      {{"CONTENT_TYPE", "application/x-www-form-urlencoded; charset=UTF-8"}});
    ParseError e = parseRequest(p, "amount=25&note=two+words%21&&=skip", ParseLimits(), &r);
    CPPUNIT_ASSERT_MESSAGE(e.message, !e.failed());
    CPPUNIT_ASSERT_EQUAL(std::string("/billing/add-funds"), r.path);
    CPPUNIT_ASSERT_EQUAL(std::string("3"), r.queryValue("page"));
    CPPUNIT_ASSERT_EQUAL(std::string(""), r.queryValue("empty"));
    CPPUNIT_ASSERT(r.query.count("flag"));
    CPPUNIT_ASSERT_EQUAL(std::string("1"), r.queryValue("dup"));
    CPPUNIT_ASSERT_EQUAL(std::string("25"), r.formValue("amount"));
    CPPUNIT_ASSERT_EQUAL(std::string("two words!"), r.formValue("note"));
    CPPUNIT_ASSERT_EQUAL(std::string("amount=25&note=two+words%21&&=skip"), r.body);
  }

  void parsesCookiesLeniently() {
    StringMap c;
    ParseError e = parseCookies("a=1; b=\"quoted\"; junk; =nameless; c=x=y;  d=2 ", 50, &c);
    CPPUNIT_ASSERT(!e.failed());
    CPPUNIT_ASSERT_EQUAL(std::string("1"), c["a"]);
    CPPUNIT_ASSERT_EQUAL(std::string("quoted"), c["b"]);
    CPPUNIT_ASSERT_EQUAL(std::string("x=y"), c["c"]);
    CPPUNIT_ASSERT_EQUAL(std::string("2"), c["d"]);
    CPPUNIT_ASSERT_EQUAL(size_t(4), c.size());
    StringMap bad;
    CPPUNIT_ASSERT_EQUAL(400, parseCookies("a=1\r\nSet-Cookie: x", 50, &bad).status);
    CPPUNIT_ASSERT_EQUAL(400, parseCookies(std::string("a=\0", 3), 50, &bad).status);
  }

  void rejectsHostileRequests() {
    struct { StringMap params; const char* why; } cases[] = {
        {cgi("", "/"), "no method"},
        {cgi("get", "/"), "lower-case method"},
        {cgi("G\xC3\xA9T", "/"), "non-ASCII method"},
        {cgi("GET", ""), "no target"},
        {cgi("GET", "http://evil.example/"), "absolute target"},
        {cgi("GET", "/a%00b"), "NUL in path"},
        {cgi("GET", "/a%zz"), "bad escape"},
        {cgi("GET", "/?q=%"), "bad escape in query"},
        {cgi("GET", "/?q=%C3"), "truncated UTF-8 in query"},
        {cgi("GET", "/", {{"HTTP_COOKIE", std::string("s=\x01")}}), "control byte in cookie"},
        {cgi("GET", "/", {{"HTTP_USER_AGENT", "x\ny"}}), "newline in header"},
    };
    for (const auto& c : cases) {
      Request r;
      ParseError e = parseRequest(c.params, "", ParseLimits(), &r);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(c.why, 400, e.status);
      CPPUNIT_ASSERT(!e.message.empty());
    }
    Request r;
    ParseError e = parseRequest(cgi("POST", "/", {{"CONTENT_TYPE", "application/x-www-form-urlencoded"}}),
                                "a=%ZZ", ParseLimits(), &r);
    CPPUNIT_ASSERT_EQUAL(400, e.status);
  }

  void enforcesLimits() {
    ParseLimits limits;
    limits.max_body_bytes = 10;
    limits.max_fields = 3;
    Request r;
    CPPUNIT_ASSERT_EQUAL(413, parseRequest(cgi("POST", "/"), std::string(11, 'a'), limits, &r).status);
    CPPUNIT_ASSERT_EQUAL(400, parseRequest(cgi("GET", "/?a=1&b=2&c=3&d=4"), "", limits, &r).status);
    CPPUNIT_ASSERT_EQUAL(414, parseRequest(cgi("GET", "/" + std::string(9000, 'a')), "", limits, &r).status);
    std::string many;
    for (int i = 0; i < 60; ++i) many += "c" + std::to_string(i) + "=1; ";
    CPPUNIT_ASSERT_EQUAL(400, parseRequest(cgi("GET", "/", {{"HTTP_COOKIE", many}}), "", ParseLimits(), &r).status);
  }

  void readsHeadersAndFlags() {
    Request r;
    StringMap p = cgi("GET", "/x", {{"HTTP_USER_AGENT", "test/1"}, {"HTTP_X_FORWARDED_FOR", "1.2.3.4"},
                                    {"HTTPS", "on"}, {"GSP_LISTENER", "internal"}, {"REMOTE_ADDR", "127.0.0.1"}});
    CPPUNIT_ASSERT(!parseRequest(p, "", ParseLimits(), &r).failed());
    CPPUNIT_ASSERT_EQUAL(std::string("test/1"), r.header("user-agent"));
    CPPUNIT_ASSERT_EQUAL(std::string("1.2.3.4"), r.header("x-forwarded-for"));
    CPPUNIT_ASSERT(r.https);
    CPPUNIT_ASSERT(r.internal);
    CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), r.remote_addr);
  }

  // Deterministic pseudo-random garbage in every field: never a crash, always 0/400/413/414.
  void survivesRandomBytes() {
    uint32_t seed = 12345;
    auto next = [&seed] { seed = seed * 1103515245 + 12345; return (seed >> 16) & 0xff; };
    for (int i = 0; i < 3000; ++i) {
      std::string junk;
      int len = next() % 40;
      for (int k = 0; k < len; ++k) junk.push_back(static_cast<char>(next()));
      Request r;
      StringMap p = cgi(i % 3 ? "POST" : junk, "/" + junk + "?" + junk,
                        {{"HTTP_COOKIE", junk}, {"CONTENT_TYPE", "application/x-www-form-urlencoded"}});
      int status = parseRequest(p, junk, ParseLimits(), &r).status;
      CPPUNIT_ASSERT(status == 0 || status == 400 || status == 413 || status == 414);
    }
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(RequestParserTest);
