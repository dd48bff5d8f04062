#include <cppunit/extensions/HelperMacros.h>

#include "web/response.h"

using namespace gsp::web;

class ResponseTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ResponseTest);
  CPPUNIT_TEST(serialisesStatusHeadersAndBody);
  CPPUNIT_TEST(cookieFlags);
  CPPUNIT_TEST(headerInjectionIsImpossible);
  CPPUNIT_TEST_SUITE_END();

 public:
  void serialisesStatusHeadersAndBody() {
    Response r = Response::html(404, "<p>x</p>");
    r.addHeader("Allow", "GET");
    std::string s = serialize(r);
    CPPUNIT_ASSERT_EQUAL(std::string("Status: 404 Not Found\r\nContent-Type: text/html; charset=utf-8\r\n"
                                     "Content-Length: 8\r\nAllow: GET\r\n\r\n<p>x</p>"),
                         s);
    CPPUNIT_ASSERT(serialize(Response::redirect("/billing")).find("Status: 303 See Other\r\n") == 0);
  }

  void cookieFlags() {
    Cookie c{"gsp_session", "abc", 3600, true, true, "Lax"};
    CPPUNIT_ASSERT_EQUAL(std::string("__Host-gsp_session=abc; Path=/; Max-Age=3600; HttpOnly; Secure; SameSite=Lax"),
                         formatSetCookie(c));
    Cookie del{"gsp_session", "", 0, true, false, "Lax"};
    CPPUNIT_ASSERT_EQUAL(std::string("gsp_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"), formatSetCookie(del));
  }

  void headerInjectionIsImpossible() {
    Response r = Response::redirect("/x\r\nSet-Cookie: evil=1");
    std::string s = serialize(r);
    CPPUNIT_ASSERT(s.find("\r\nSet-Cookie") == std::string::npos);
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ResponseTest);
