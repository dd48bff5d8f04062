#include <cppunit/extensions/HelperMacros.h>

#include "db/database.h"
#include "web/page_cache.h"

using namespace gsp::web;

class PageCacheTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(PageCacheTest);
  CPPUNIT_TEST(servesNothingUntilOtherProcessesWereChecked);
  CPPUNIT_TEST(replaysWhileNothingChanged);
  CPPUNIT_TEST(anyWriteOfThisProcessOutdatesEntries);
  CPPUNIT_TEST(changedMarkersOutdateEntries);
  CPPUNIT_TEST(staleCheckStopsServing);
  CPPUNIT_TEST(onePollerAtATime);
  CPPUNIT_TEST(entriesDieWithTheirSessionAndWithAge);
  CPPUNIT_TEST(refusesWhatMustNotBeReplayed);
  CPPUNIT_TEST(staysBounded);
  CPPUNIT_TEST(zeroTurnsItOff);
  CPPUNIT_TEST_SUITE_END();

  static constexpr int64_t kHour = 3600 * 1000;

  static Response page(const std::string& body) { return Response::html(200, body); }

  // A cache whose markers were just polled at `now`.
  static void polled(PageCache& cache, int64_t now, const std::string& marker = "1/1") {
    CPPUNIT_ASSERT(cache.claimPoll(now));
    cache.pollResult(marker, now);
  }

 public:
  void servesNothingUntilOtherProcessesWereChecked() {
    PageCache cache(100, 16);
    uint64_t g = gsp::db::writeGeneration();
    cache.store("k", g, kHour, 0, page("a"));
    CPPUNIT_ASSERT(!cache.find("k", g, 0));
    polled(cache, 0);
  }

  void replaysWhileNothingChanged() {
    PageCache cache(100, 16);
    polled(cache, 1000);
    uint64_t g = gsp::db::writeGeneration();
    cache.store("k", g, 1000 + kHour, 1000, page("hello"));
    auto hit = cache.find("k", g, 1010);
    CPPUNIT_ASSERT(hit);
    CPPUNIT_ASSERT_EQUAL(std::string("hello"), hit->body);
    CPPUNIT_ASSERT(!cache.find("other", g, 1010));
  }

  void anyWriteOfThisProcessOutdatesEntries() {
    PageCache cache(100, 16);
    polled(cache, 1000);
    uint64_t g = gsp::db::writeGeneration();
    cache.store("k", g, 1000 + kHour, 1000, page("old"));
    gsp::db::noteWrite();  // what Query::update() and Transaction::commit() do
    uint64_t now = gsp::db::writeGeneration();
    CPPUNIT_ASSERT(now != g);
    CPPUNIT_ASSERT(!cache.find("k", now, 1010));
    // A render that read the generation before the write is outdated too.
    cache.store("k", g, 1000 + kHour, 1010, page("raced"));
    CPPUNIT_ASSERT(!cache.find("k", now, 1020));
  }

  void changedMarkersOutdateEntries() {
    PageCache cache(100, 16);
    polled(cache, 1000, "5/7");
    uint64_t g = gsp::db::writeGeneration();
    cache.store("k", g, 1000 + kHour, 1000, page("a"));
    polled(cache, 1060, "5/7");  // nothing new elsewhere
    CPPUNIT_ASSERT_EQUAL(g, gsp::db::writeGeneration());
    CPPUNIT_ASSERT(cache.find("k", g, 1060));
    polled(cache, 1120, "6/7");  // another process changed a server's state
    CPPUNIT_ASSERT(gsp::db::writeGeneration() != g);
    CPPUNIT_ASSERT(!cache.find("k", gsp::db::writeGeneration(), 1120));
    CPPUNIT_ASSERT_EQUAL(size_t(0), cache.size());
  }

  void staleCheckStopsServing() {
    PageCache cache(100, 16);
    polled(cache, 1000);
    uint64_t g = gsp::db::writeGeneration();
    cache.store("k", g, 1000 + kHour, 1000, page("a"));
    CPPUNIT_ASSERT(cache.find("k", g, 1100));
    CPPUNIT_ASSERT(!cache.find("k", g, 1101));  // other processes unchecked for too long
  }

  void onePollerAtATime() {
    PageCache cache(100, 16);
    CPPUNIT_ASSERT(cache.claimPoll(0));
    CPPUNIT_ASSERT(!cache.claimPoll(0));
    cache.pollFailed();
    CPPUNIT_ASSERT(cache.claimPoll(0));
    cache.pollResult("1/1", 0);
    CPPUNIT_ASSERT(!cache.claimPoll(10));  // fresh: no need
    CPPUNIT_ASSERT(cache.claimPoll(50));   // half the window: refresh while still serving
  }

  void entriesDieWithTheirSessionAndWithAge() {
    PageCache cache(100, 16);
    polled(cache, 1000);
    uint64_t g = gsp::db::writeGeneration();
    cache.store("session-ends", g, 1050, 1000, page("a"));
    CPPUNIT_ASSERT(cache.find("session-ends", g, 1049));
    CPPUNIT_ASSERT(!cache.find("session-ends", g, 1050));
    PageCache slow(10000, 16);
    polled(slow, 0);
    slow.store("k", g, kHour, 0, page("a"));
    polled(slow, 5000);
    CPPUNIT_ASSERT(slow.find("k", g, PageCache::kMaxEntryAgeMs - 1));
    CPPUNIT_ASSERT(!slow.find("k", g, PageCache::kMaxEntryAgeMs));
  }

  void refusesWhatMustNotBeReplayed() {
    PageCache cache(100, 16);
    polled(cache, 0);
    uint64_t g = gsp::db::writeGeneration();
    cache.store("redirect", g, kHour, 0, Response::redirect("/x"));
    Response with_cookie = page("a");
    with_cookie.cookies.push_back(Cookie{"gsp_flash", "", 0});
    cache.store("cookie", g, kHour, 0, with_cookie);
    cache.store("huge", g, kHour, 0, page(std::string(PageCache::kMaxBodyBytes + 1, 'x')));
    CPPUNIT_ASSERT_EQUAL(size_t(0), cache.size());
  }

  void staysBounded() {
    PageCache cache(100, 4);
    polled(cache, 0);
    uint64_t g = gsp::db::writeGeneration();
    for (int i = 0; i < 10; ++i) {
      cache.store("k" + std::to_string(i), g, kHour, 0, page("a"));
      CPPUNIT_ASSERT(cache.size() <= 4);
    }
    CPPUNIT_ASSERT(cache.find("k9", g, 0));
    PageCache small(100, 100, 1000);  // bytes bound the cache too
    polled(small, 0);
    for (int i = 0; i < 10; ++i) small.store("k" + std::to_string(i), g, kHour, 0, page(std::string(300, 'x')));
    CPPUNIT_ASSERT(small.size() <= 3);
    CPPUNIT_ASSERT(small.find("k9", g, 0));
  }

  void zeroTurnsItOff() {
    PageCache cache(0, 16);
    CPPUNIT_ASSERT(!cache.enabled());
    CPPUNIT_ASSERT(!cache.claimPoll(0));
    uint64_t g = gsp::db::writeGeneration();
    cache.store("k", g, kHour, 0, page("a"));
    CPPUNIT_ASSERT(!cache.find("k", g, 0));
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(PageCacheTest);
