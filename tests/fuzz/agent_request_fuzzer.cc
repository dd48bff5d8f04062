// libFuzzer target: the agent's request decoder, the one parser that reads
// bytes from another process before anything is checked (src/agentapi/
// agent_protocol.h), and the reply decoders gsp-web runs on the agent's
// answers. Properties, beyond "no crash, no sanitizer report":
//   - a request that decodes re-encodes to bytes that decode to the same request;
//   - a decoded request is within the bounds the agent relies on.
// Built by `make fuzz` (clang); scripts/test.sh runs it on tests/fuzz/corpus/agent_request.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "agentapi/agent_protocol.h"

using namespace gsp::agentapi;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  gsp::Result<AgentRequest> r = decodeRequest(bytes);
  if (r.isOk()) {
    const AgentRequest& a = r.value();
    if (size > kMaxRequestBytes) abort();
    if (a.server < 0 || a.job < 0 || a.tail < 0 || a.tail > 2000 || a.since < 0 || a.game < 0) abort();
    if ((a.op == Operation::kLogs || a.op == Operation::kStats) && a.server == 0) abort();
    gsp::Result<AgentRequest> again = decodeRequest(encodeRequest(a));
    if (!again.isOk()) abort();
    const AgentRequest& b = again.value();
    if (a.op != b.op || a.server != b.server || a.job != b.job || a.tail != b.tail || a.since != b.since ||
        a.game != b.game)
      abort();
  }
  // gsp-web's side: whatever the agent answers, reading it never crashes.
  decodeStatus(bytes);
  decodeLogs(bytes);
  decodeStats(bytes);
  return 0;
}
