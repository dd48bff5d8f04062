#include <cppunit/extensions/HelperMacros.h>

#include "agentapi/agent_protocol.h"

using namespace gsp::agentapi;

class AgentProtocolTest : public CppUnit::TestFixture {
  CPPUNIT_TEST_SUITE(AgentProtocolTest);
  CPPUNIT_TEST(requestsRoundTrip);
  CPPUNIT_TEST(malformedRequestsAreRefusedWithAReason);
  CPPUNIT_TEST(repliesRoundTrip);
  CPPUNIT_TEST(aLongConsoleIsTrimmedToItsNewestLines);
  CPPUNIT_TEST(garbledRepliesAreUnavailable);
  CPPUNIT_TEST_SUITE_END();

 public:
  void requestsRoundTrip() {
    AgentRequest logs{Operation::kLogs};
    logs.server = 42;
    logs.tail = 200;
    auto back = decodeRequest(encodeRequest(logs));
    CPPUNIT_ASSERT(back.isOk());
    CPPUNIT_ASSERT(back->op == Operation::kLogs && back->server == 42 && back->tail == 200 && back->since == 0);
    AgentRequest poke{Operation::kPoke};
    poke.job = 7;
    back = decodeRequest(encodeRequest(poke));
    CPPUNIT_ASSERT(back.isOk() && back->op == Operation::kPoke && back->job == 7);
    CPPUNIT_ASSERT(decodeRequest("{\"op\":\"ping\"}").isOk());
    AgentRequest pull{Operation::kPull};
    pull.game = 4;
    back = decodeRequest(encodeRequest(pull));
    CPPUNIT_ASSERT(back.isOk() && back->op == Operation::kPull && back->game == 4);
    CPPUNIT_ASSERT(decodeRequest("{\"op\":\"poke\"}").isOk());  // no id: look at the queue
    CPPUNIT_ASSERT(decodeRequest(" {\"since\":5,\"op\":\"logs\",\"server\":3} ").isOk());
    AgentRequest download{Operation::kDownloadUrl};
    download.server = 3;
    download.backup = 11;
    back = decodeRequest(encodeRequest(download));
    CPPUNIT_ASSERT(back.isOk() && back->op == Operation::kDownloadUrl && back->server == 3 && back->backup == 11);
  }

  void malformedRequestsAreRefusedWithAReason() {
    struct { std::string bytes; const char* reason; } table[] = {
        {"", "empty request"},
        {std::string(kMaxRequestBytes + 1, ' '), "request too large"},
        {"{", "a request is one JSON object"},
        {"[1]", "a request is one JSON object"},
        {"\"ping\"", "a request is one JSON object"},
        {"{}", "'op' is missing"},
        {"{\"op\":7}", "'op' is missing"},
        {"{\"op\":\"create\"}", "unknown operation"},
        {"{\"op\":\"stats\",\"server\":1,\"image\":\"x\"}", "unknown field"},
        {"{\"op\":\"stats\",\"server\":1,\"env\":[]}", "unknown field"},
        {"{\"op\":\"stats\",\"server\":0}", "'server' is out of range"},
        {"{\"op\":\"stats\",\"server\":9007199254740993}", "'server' is out of range"},
        {"{\"op\":\"stats\",\"server\":-4}", "'server' is out of range"},
        {"{\"op\":\"stats\",\"server\":true}", "'server' must be a whole number"},
        {"{\"op\":\"stats\",\"server\":1e3}", "'server' must be a whole number"},
        {"{\"op\":\"stats\"}", "stats needs 'server'"},
        {"{\"op\":\"stats\",\"server\":1,\"tail\":3}", "stats takes only 'server'"},
        {"{\"op\":\"logs\",\"server\":1}", "logs needs one of 'tail' and 'since'"},
        {"{\"op\":\"logs\",\"server\":1,\"tail\":5,\"since\":9}", "logs needs one of 'tail' and 'since'"},
        {"{\"op\":\"logs\",\"server\":1,\"tail\":2001}", "'tail' is out of range"},
        {"{\"op\":\"ping\",\"job\":1}", "ping takes no fields"},
        {"{\"op\":\"poke\",\"server\":1}", "poke takes only 'job'"},
        {"{\"op\":\"pull\"}", "pull needs 'game'"},
        {"{\"op\":\"pull\",\"game\":2,\"server\":1}", "pull takes only 'game'"},
        {"{\"op\":\"pull\",\"game\":\"itzg/minecraft-server\"}", "'game' must be a whole number"},
        {std::string("{\"op\":\"ping\"}\0", 14), "a request is one JSON object"},
        {"{\"op\":\"download_url\",\"server\":1}", "download_url needs 'server' and 'backup'"},
        {"{\"op\":\"download_url\",\"backup\":1}", "download_url needs 'server' and 'backup'"},
        {"{\"op\":\"download_url\",\"server\":1,\"backup\":2,\"job\":3}", "download_url takes only 'server' and 'backup'"},
        {"{\"op\":\"download_url\",\"server\":1,\"backup\":\"../x\"}", "'backup' must be a whole number"},
        {"{\"op\":\"stats\",\"server\":1,\"backup\":2}", "only download_url takes 'backup'"},
    };
    for (const auto& row : table) {
      auto r = decodeRequest(row.bytes);
      CPPUNIT_ASSERT_MESSAGE(row.bytes.substr(0, 60), !r.isOk());
      CPPUNIT_ASSERT_EQUAL_MESSAGE(row.bytes.substr(0, 60), std::string(row.reason), r.status().message());
      CPPUNIT_ASSERT(r.status().code() == gsp::Status::Code::kInvalid);
    }
  }

  void repliesRoundTrip() {
    CPPUNIT_ASSERT(decodeStatus(encodeOk()).isOk());
    gsp::Status busy = decodeStatus(encodeError(gsp::Status::conflict("busy \"now\"")));
    CPPUNIT_ASSERT(busy.code() == gsp::Status::Code::kConflict);
    CPPUNIT_ASSERT_EQUAL(std::string("busy \"now\""), busy.message());
    gsp::orchestration::ServerStats stats{true, 12.5, 1 << 20, 64 << 20};
    auto s = decodeStats(encodeStats(stats));
    CPPUNIT_ASSERT(s.isOk() && s->running && s->cpu_percent == 12.5 && s->memory_bytes == (1 << 20));
    CPPUNIT_ASSERT(decodeStats(encodeError(gsp::Status::notFound("x"))).status().code() == gsp::Status::Code::kNotFound);
    auto url = decodeUrl(encodeUrl("https://storage.googleapis.com/b/o?X-Goog-Signature=ab"));
    CPPUNIT_ASSERT(url.isOk() && url.value() == "https://storage.googleapis.com/b/o?X-Goog-Signature=ab");
    CPPUNIT_ASSERT(!decodeUrl(encodeUrl("javascript:alert(1)")).isOk());  // only web URLs are handed on
    CPPUNIT_ASSERT(!decodeUrl("{\"ok\":true}").isOk());
    gsp::orchestration::ServerLogs logs;
    logs.lines = {{"stdout", "2026-11-30T10:00:00Z", "hello <b>"}, {"stderr", "2026-11-30T10:00:01Z", "\xff bad utf-8"}};
    logs.cursor = 99;
    auto l = decodeLogs(encodeLogs(logs));
    CPPUNIT_ASSERT(l.isOk());
    CPPUNIT_ASSERT_EQUAL(size_t(2), l->lines.size());
    CPPUNIT_ASSERT_EQUAL(std::string("hello <b>"), l->lines[0].text);
    CPPUNIT_ASSERT_EQUAL(int64_t(99), l->cursor);
  }

  void aLongConsoleIsTrimmedToItsNewestLines() {
    gsp::orchestration::ServerLogs logs;
    for (int i = 0; i < 2000; ++i) logs.lines.push_back({"stdout", "t", std::string(200, 'x') + std::to_string(i)});
    std::string reply = encodeLogs(logs);
    CPPUNIT_ASSERT(reply.size() <= kMaxReplyBytes);
    auto back = decodeLogs(reply);
    CPPUNIT_ASSERT(back.isOk());
    CPPUNIT_ASSERT(back->lines.size() > 50 && back->lines.size() < 2000);
    CPPUNIT_ASSERT_EQUAL(std::string(200, 'x') + "1999", back->lines.back().text);
  }

  void garbledRepliesAreUnavailable() {
    for (const char* reply : {"", "{", "[]", "{\"ok\":1}", "{\"ok\":true}", "{\"ok\":true,\"lines\":3,\"cursor\":1}",
                              "{\"ok\":false,\"code\":5,\"error\":[]}"}) {
      auto l = decodeLogs(reply);
      CPPUNIT_ASSERT_MESSAGE(reply, !l.isOk());
    }
    CPPUNIT_ASSERT(decodeStatus("{\"ok\":false,\"code\":5,\"error\":[]}").code() == gsp::Status::Code::kInternal);
    CPPUNIT_ASSERT(decodeStats("{\"ok\":true,\"running\":true}").status().code() == gsp::Status::Code::kUnavailable);
  }
};
CPPUNIT_TEST_SUITE_REGISTRATION(AgentProtocolTest);
