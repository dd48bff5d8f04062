#include <cppunit/extensions/HelperMacros.h>

#include "domain/billing.h"
#include "domain/job.h"

using namespace gsp::domain;

class JobTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(JobTest);
  CPPUNIT_TEST(namesRoundTrip);
  CPPUNIT_TEST(eachJobBeginsResumesOrRefusesByState);
  CPPUNIT_TEST(firstHourRule);
  CPPUNIT_TEST_SUITE_END();

 public:
  void namesRoundTrip() {
    for (JobKind k : {JobKind::kCreate, JobKind::kWake, JobKind::kHibernate, JobKind::kDelete, JobKind::kRepair})
      CPPUNIT_ASSERT(parseJobKind(jobKindName(k)) == k);
    for (JobState s : {JobState::kQueued, JobState::kRunning, JobState::kDone, JobState::kFailed})
      CPPUNIT_ASSERT(parseJobState(jobStateName(s)) == s);
    CPPUNIT_ASSERT(!parseJobKind("wake").has_value());
    CPPUNIT_ASSERT(!parseJobState("").has_value());
    CPPUNIT_ASSERT(isUrgent(JobKind::kWake));
    CPPUNIT_ASSERT(!isUrgent(JobKind::kHibernate));
  }

  // B: begin, R: resume (the job's own passing state: an agent killed half-way), N: nothing to do, X: refuse.
  void eachJobBeginsResumesOrRefusesByState() {
    const ServerState states[] = {ServerState::kCreating, ServerState::kSleeping, ServerState::kStarting,
                                  ServerState::kRunning,  ServerState::kStopping, ServerState::kError,
                                  ServerState::kDeleting, ServerState::kDeleted};
    struct { JobKind kind; const char* expected; } table[] = {
        //                   CRE SLP STA RUN STO ERR DEL DLD
        {JobKind::kCreate,    "B   X   X   X   X   X   X   X"},
        {JobKind::kWake,      "X   B   R   N   X   B   X   X"},
        {JobKind::kHibernate, "X   N   B   B   R   B   X   X"},
        {JobKind::kDelete,    "X   B   B   B   B   B   R   N"},
    };
    for (const auto& row : table) {
      std::string got;
      for (ServerState s : states) {
        switch (jobStep(row.kind, s)) {
          case JobStep::kBegin: got += "B   "; break;
          case JobStep::kResume: got += "R   "; break;
          case JobStep::kNothing: got += "N   "; break;
          case JobStep::kRefuse: got += "X   "; break;
        }
      }
      got.resize(got.size() - 3);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(jobKindName(row.kind), std::string(row.expected), got);
    }
  }

  void firstHourRule() {
    CPPUNIT_ASSERT(canPayFirstHour(5, 5));
    CPPUNIT_ASSERT(!canPayFirstHour(4, 5));
    CPPUNIT_ASSERT(canPayFirstHour(0, 0));
    CPPUNIT_ASSERT(!canPayFirstHour(-1, 0));
    CPPUNIT_ASSERT_EQUAL(std::string("Starting Demo Game needs credits for one hour ($0.05). Add funds on the billing "
                                     "page first."),
                         firstHourRefusal("Demo Game", 5));
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(JobTest);
