#include <cppunit/extensions/HelperMacros.h>

#include "domain/billing.h"
#include "domain/idle.h"

using namespace gsp::domain;

class BillingTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(BillingTest);
  CPPUNIT_TEST(theHourDueFollowsThePaidTimeOrTheWake);
  CPPUNIT_TEST(aPaidHourLetsAServerWakeWithoutCredit);
  CPPUNIT_TEST(theForecastSaysWhichServerSleepsFirst);
  CPPUNIT_TEST(idleSleepCountsFromTheLastOfTrafficWakeAndKeepAwake);
  CPPUNIT_TEST_SUITE_END();

 public:
  void theHourDueFollowsThePaidTimeOrTheWake() {
    const int64_t t = 1800000000;
    struct { int64_t paid_until, running_since, now, due; const char* why; } table[] = {
        {t + 3600, t, t + 1800, -1, "within the paid hour"},
        {t + 3600, t, t + 3600, t + 3600, "the paid hour ended while it ran: the next follows"},
        {t + 3600, t, t + 9000, t + 3600, "a pass that was late still charges the next hour, not a later one"},
        {t, t + 7200, t + 7260, t + 7200, "it slept after its hour and woke later: from the wake"},
        {0, t, t + 5, t, "never paid: from when it became RUNNING"},
    };
    for (const auto& row : table) CPPUNIT_ASSERT_EQUAL_MESSAGE(row.why, row.due, hourToCharge(row.paid_until, row.running_since, row.now));
  }

  void aPaidHourLetsAServerWakeWithoutCredit() {
    CPPUNIT_ASSERT(canStart(0, 100, 2000, 1000));     // slept mid-hour: the rest is paid
    CPPUNIT_ASSERT(!canStart(99, 100, 1000, 1000));   // the hour ran out, the balance cannot pay
    CPPUNIT_ASSERT(canStart(100, 100, 0, 1000));
    CPPUNIT_ASSERT_EQUAL(int64_t(1), hoursCovered(150, 100));
    CPPUNIT_ASSERT_EQUAL(int64_t(0), hoursCovered(-5, 100));
    CPPUNIT_ASSERT_EQUAL(int64_t(0), hoursCovered(500, 0));
  }

  void theForecastSaysWhichServerSleepsFirst() {
    const int64_t t = 1800000000;
    // 350 cents; A (100/h) due at t, B (150/h) due at t + 600: A and B are paid (100 left),
    // A's next hour too (0 left); then B cannot pay at t + 4200, nor A at t + 7200.
    auto sleeps = outOfCreditForecast(350, {{1, 100, t}, {2, 150, t + 600}}, 48);
    CPPUNIT_ASSERT_EQUAL(size_t(2), sleeps.size());
    CPPUNIT_ASSERT_EQUAL(int64_t(2), sleeps[0].server_id);
    CPPUNIT_ASSERT_EQUAL(t + 600 + 3600, sleeps[0].at);
    CPPUNIT_ASSERT_EQUAL(int64_t(1), sleeps[1].server_id);
    CPPUNIT_ASSERT_EQUAL(t + 7200, sleeps[1].at);
    // Ties go by id, as the lifecycle charges.
    sleeps = outOfCreditForecast(100, {{7, 100, t}, {3, 100, t}}, 48);
    CPPUNIT_ASSERT_EQUAL(int64_t(7), sleeps.at(0).server_id);
    // Enough for the horizon: nothing sleeps; a free server never does.
    CPPUNIT_ASSERT(outOfCreditForecast(100000, {{1, 100, t}}, 48).empty());
    CPPUNIT_ASSERT(outOfCreditForecast(0, {{1, 0, t}}, 48).empty());
  }

  void idleSleepCountsFromTheLastOfTrafficWakeAndKeepAwake() {
    IdleFacts f;
    f.idle_minutes = 15;
    f.last_activity = 1000;
    f.running_since = 400;
    CPPUNIT_ASSERT_EQUAL(int64_t(1000 + 900), idleSleepAt(f));
    f.running_since = 5000;  // woken after the last traffic: counts from the wake
    CPPUNIT_ASSERT_EQUAL(int64_t(5000 + 900), idleSleepAt(f));
    f.keep_awake_until = 9000;
    CPPUNIT_ASSERT_EQUAL(int64_t(9000), idleSleepAt(f));
    f.players = 1;  // an AFK player keeps it up
    CPPUNIT_ASSERT_EQUAL(int64_t(-1), idleSleepAt(f));
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(BillingTest);
