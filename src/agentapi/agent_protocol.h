// The request protocol between gsp-agent and the programs that ask it for
// something (gsp-web, gsp-admin, later gsp-lifecycle): one JSON object per
// SOCK_SEQPACKET message each way, over the agent's unix socket.
//
// A request names an operation, a server or job id and small typed numbers,
// never an image, environment, port, path or label: what a container gets
// comes from the catalog and the server row, which the agent reads itself
// (ARCHITECTURE.md, "Security model"). The decoder refuses anything else:
// unknown operations and keys, wrong types, numbers out of range, oversized
// or malformed messages. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "orchestration/server_operations.h"

namespace gsp::agentapi {

// Bounds of one message each way. A request is a few dozen bytes; a reply
// carries at most a console tail (trimmed to fit).
inline constexpr size_t kMaxRequestBytes = 1024;
inline constexpr size_t kMaxReplyBytes = 128 * 1024;

enum class Operation {
  kPing,   // is the agent there (and does it accept me)?
  kPoke,   // a job was queued: take it now (job = its id, 0: look at the queue)
  kLogs,   // the game console of `server`: the last `tail` lines, or those after `since`
  kStats,  // CPU and memory of `server`'s game
  kPull,   // make sure catalog entry `game`'s image is on the host (an operator's pre-pull)
  kReconcile,  // compare the engine with the rows, queue repairs, sample usage at `at` (a lifecycle pass)
  kDownloadUrl,  // a short-lived URL the owner's browser fetches `server`'s Cloud Storage backup `backup` from
};

const char* operationName(Operation op);

struct AgentRequest {
  Operation op = Operation::kPing;
  int64_t server = 0;  // > 0 for kLogs, kStats
  int64_t job = 0;     // kPoke, optional
  int tail = 0;        // kLogs: 1-2000 when since is 0
  int64_t since = 0;   // kLogs: a cursor from an earlier answer (unix ns)
  int64_t game = 0;    // kPull: a catalog id
  int64_t at = 0;      // kReconcile: the pass's clock (unix seconds), for the samples
  int64_t backup = 0;  // kDownloadUrl: a backup id
};

std::string encodeRequest(const AgentRequest& request);
// kInvalid with a short reason (safe to send back) for anything malformed.
Result<AgentRequest> decodeRequest(std::string_view bytes);

// ---- replies: {"ok":true,...} or {"ok":false,"code":"...","error":"..."} ----
std::string encodeError(const Status& status);
std::string encodeOk();
// Keeps the newest lines that fit in kMaxReplyBytes.
std::string encodeLogs(const orchestration::ServerLogs& logs);
std::string encodeStats(const orchestration::ServerStats& stats);
std::string encodeReconcile(const orchestration::ReconcileReport& report);
std::string encodeUrl(const std::string& url);

// The Status of a reply (kOk for {"ok":true}); kUnavailable for a garbled one.
Status decodeStatus(std::string_view reply);
Result<orchestration::ServerLogs> decodeLogs(std::string_view reply);
Result<orchestration::ServerStats> decodeStats(std::string_view reply);
Result<orchestration::ReconcileReport> decodeReconcile(std::string_view reply);
Result<std::string> decodeUrl(std::string_view reply);

}  // namespace gsp::agentapi
