#include <cppunit/extensions/HelperMacros.h>

#include "domain/server_state.h"

using namespace gsp::domain;

class ServerStateTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(ServerStateTest);
  CPPUNIT_TEST(namesRoundTrip);
  CPPUNIT_TEST(actionsFollowTheStateDiagram);
  CPPUNIT_TEST_SUITE_END();

 public:
  void namesRoundTrip() {
    for (ServerState s : {ServerState::kCreating, ServerState::kSleeping, ServerState::kStarting, ServerState::kRunning,
                          ServerState::kStopping, ServerState::kError, ServerState::kDeleting, ServerState::kDeleted}) {
      CPPUNIT_ASSERT(parseState(stateName(s)) == s);
    }
    CPPUNIT_ASSERT(!parseState("running").has_value());
    CPPUNIT_ASSERT(!parseState("").has_value());
  }

  void actionsFollowTheStateDiagram() {
    struct { ServerState s; bool wake, sleep, remove, billed; } table[] = {
        {ServerState::kCreating, false, false, false, false},
        {ServerState::kSleeping, true, false, true, false},
        {ServerState::kStarting, false, true, true, true},
        {ServerState::kRunning, false, true, true, true},
        {ServerState::kStopping, false, false, true, false},
        {ServerState::kError, true, true, true, false},
        {ServerState::kDeleting, false, false, false, false},
        {ServerState::kDeleted, false, false, false, false},
    };
    for (const auto& row : table) {
      std::string name = stateName(row.s);
      CPPUNIT_ASSERT_EQUAL_MESSAGE(name, row.wake, canWake(row.s));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(name, row.sleep, canHibernate(row.s));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(name, row.remove, canDelete(row.s));
      CPPUNIT_ASSERT_EQUAL_MESSAGE(name, row.billed, isBilled(row.s));
      if (!row.wake) CPPUNIT_ASSERT(!refusal("wake", row.s).empty());
    }
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(ServerStateTest);
