#include "agentapi/agent_protocol.h"

#include <nlohmann/json.hpp>

namespace gsp::agentapi {

namespace {

using nlohmann::json;

struct OperationName {
  Operation op;
  const char* name;
};
const OperationName kOperations[] = {
    {Operation::kPing, "ping"}, {Operation::kPoke, "poke"},
    {Operation::kLogs, "logs"}, {Operation::kStats, "stats"},
    {Operation::kPull, "pull"}, {Operation::kReconcile, "reconcile"},
    {Operation::kDownloadUrl, "download_url"},
};

struct CodeName {
  Status::Code code;
  const char* name;
};
const CodeName kCodes[] = {
    {Status::Code::kInvalid, "invalid"},         {Status::Code::kNotFound, "not_found"},
    {Status::Code::kConflict, "conflict"},       {Status::Code::kForbidden, "forbidden"},
    {Status::Code::kUnavailable, "unavailable"}, {Status::Code::kInternal, "internal"},
};

const int64_t kMaxId = int64_t(1) << 53;  // what every JSON reader keeps exact
const int kMaxTail = 2000;
const int64_t kMaxUnixSeconds = int64_t(1) << 40;

// A whole number in [lo, hi] under `key`, or why not.
Status readNumber(const json& value, const std::string& key, int64_t lo, int64_t hi, int64_t* out) {
  if (!value.is_number_integer()) return Status::invalid("'" + key + "' must be a whole number");
  int64_t v = value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX
                                                                                         : value.get<int64_t>();
  if (v < lo || v > hi) return Status::invalid("'" + key + "' is out of range");
  *out = v;
  return Status::ok();
}

// json::value() throws on a wrong type; replies are read without exceptions.
std::string stringOr(const json& j, const char* key, const std::string& fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

const char* operationName(Operation op) {
  for (const OperationName& o : kOperations) {
    if (o.op == op) return o.name;
  }
  return "ping";
}

std::string encodeRequest(const AgentRequest& r) {
  json j = {{"op", operationName(r.op)}};
  if (r.server > 0) j["server"] = r.server;
  if (r.job > 0) j["job"] = r.job;
  if (r.tail > 0) j["tail"] = r.tail;
  if (r.since > 0) j["since"] = r.since;
  if (r.game > 0) j["game"] = r.game;
  if (r.at > 0) j["at"] = r.at;
  if (r.backup > 0) j["backup"] = r.backup;
  return dump(j);
}

Result<AgentRequest> decodeRequest(std::string_view bytes) {
  if (bytes.empty()) return Status::invalid("empty request");
  if (bytes.size() > kMaxRequestBytes) return Status::invalid("request too large");
  // The JSON reader takes a NUL byte for the end of its input: refuse what would hide behind one.
  if (bytes.find('\0') != std::string_view::npos) return Status::invalid("a request is one JSON object");
  json j = json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::invalid("a request is one JSON object");

  AgentRequest r;
  auto op = j.find("op");
  if (op == j.end() || !op->is_string()) return Status::invalid("'op' is missing");
  bool known = false;
  for (const OperationName& o : kOperations) {
    if (op->get<std::string>() == o.name) {
      r.op = o.op;
      known = true;
    }
  }
  if (!known) return Status::invalid("unknown operation");

  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    int64_t v = 0;
    Status read;
    if (key == "op") continue;
    if (key == "server" || key == "job" || key == "game" || key == "backup") {
      read = readNumber(it.value(), key, 1, kMaxId, &v);
      (key == "server" ? r.server : key == "job" ? r.job : key == "game" ? r.game : r.backup) = v;
    } else if (key == "tail") {
      read = readNumber(it.value(), key, 1, kMaxTail, &v);
      r.tail = static_cast<int>(v);
    } else if (key == "since") {
      read = readNumber(it.value(), key, 1, INT64_MAX, &v);
      r.since = v;
    } else if (key == "at") {
      read = readNumber(it.value(), key, 1, kMaxUnixSeconds, &v);
      r.at = v;
    } else {
      return Status::invalid("unknown field");
    }
    if (!read.isOk()) return read;
  }

  if (r.backup && r.op != Operation::kDownloadUrl) return Status::invalid("only download_url takes 'backup'");
  switch (r.op) {
    case Operation::kPing:
      if (r.server || r.job || r.tail || r.since || r.game || r.at) return Status::invalid("ping takes no fields");
      break;
    case Operation::kPoke:
      if (r.server || r.tail || r.since || r.game || r.at) return Status::invalid("poke takes only 'job'");
      break;
    case Operation::kLogs:
      if (r.server == 0) return Status::invalid("logs needs 'server'");
      if (r.job || r.game || r.at) return Status::invalid("logs takes no 'job', 'game' or 'at'");
      if ((r.tail == 0) == (r.since == 0)) return Status::invalid("logs needs one of 'tail' and 'since'");
      break;
    case Operation::kStats:
      if (r.server == 0) return Status::invalid("stats needs 'server'");
      if (r.job || r.tail || r.since || r.game || r.at) return Status::invalid("stats takes only 'server'");
      break;
    case Operation::kPull:
      if (r.game == 0) return Status::invalid("pull needs 'game'");
      if (r.server || r.job || r.tail || r.since || r.at) return Status::invalid("pull takes only 'game'");
      break;
    case Operation::kReconcile:
      if (r.at == 0) return Status::invalid("reconcile needs 'at'");
      if (r.server || r.job || r.tail || r.since || r.game) return Status::invalid("reconcile takes only 'at'");
      break;
    case Operation::kDownloadUrl:
      if (r.server == 0 || r.backup == 0) return Status::invalid("download_url needs 'server' and 'backup'");
      if (r.job || r.tail || r.since || r.game || r.at) return Status::invalid("download_url takes only 'server' and 'backup'");
      break;
  }
  return r;
}

std::string encodeError(const Status& status) {
  const char* code = "internal";
  for (const CodeName& c : kCodes) {
    if (c.code == status.code()) code = c.name;
  }
  return dump({{"ok", false}, {"code", code}, {"error", status.message().substr(0, 2000)}});
}

std::string encodeOk() { return "{\"ok\":true}"; }

std::string encodeLogs(const orchestration::ServerLogs& logs) {
  // Newest lines first until the budget is spent, then back in order.
  const size_t budget = kMaxReplyBytes - 200;
  size_t used = 0;
  size_t first = logs.lines.size();
  while (first > 0) {
    const orchestration::ServerLogLine& l = logs.lines[first - 1];
    // Escaping can at most sextuple a byte (\u00XX); count generously.
    size_t cost = 48 + l.stream.size() + l.timestamp.size() + 6 * l.text.size();
    if (used + cost > budget) break;
    used += cost;
    --first;
  }
  json lines = json::array();
  for (size_t i = first; i < logs.lines.size(); ++i) {
    const orchestration::ServerLogLine& l = logs.lines[i];
    lines.push_back({{"stream", l.stream}, {"time", l.timestamp}, {"text", l.text}});
  }
  return dump({{"ok", true}, {"lines", lines}, {"cursor", logs.cursor}});
}

std::string encodeStats(const orchestration::ServerStats& s) {
  return dump({{"ok", true},
               {"running", s.running},
               {"cpu_percent", s.cpu_percent},
               {"memory_bytes", s.memory_bytes},
               {"memory_limit_bytes", s.memory_limit_bytes}});
}

std::string encodeReconcile(const orchestration::ReconcileReport& r) {
  return dump({{"ok", true},
               {"servers", r.servers},
               {"repairs", r.repairs},
               {"orphans_removed", r.orphans_removed},
               {"sampled", r.sampled},
               {"docker_calls", r.docker_calls}});
}

std::string encodeUrl(const std::string& url) { return dump({{"ok", true}, {"url", url}}); }

namespace {

// The parsed reply when it says ok, or the Status it carries.
Result<json> parseReply(std::string_view reply) {
  json j = json::parse(reply.begin(), reply.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("ok") || !j["ok"].is_boolean())
    return Status::unavailable("The server agent gave an answer that could not be read.");
  if (j["ok"].get<bool>()) return j;
  std::string message = stringOr(j, "error", "The server agent refused the request.");
  std::string code = stringOr(j, "code", "internal");
  for (const CodeName& c : kCodes) {
    if (code == c.name) return Status::withCode(c.code, message);
  }
  return Status::internal(message);
}

}  // namespace

Status decodeStatus(std::string_view reply) {
  Result<json> j = parseReply(reply);
  return j.isOk() ? Status::ok() : j.status();
}

Result<orchestration::ServerLogs> decodeLogs(std::string_view reply) {
  Result<json> j = parseReply(reply);
  if (!j.isOk()) return j.status();
  orchestration::ServerLogs logs;
  const json& v = j.value();
  if (!v.contains("lines") || !v["lines"].is_array() || !v.contains("cursor") || !v["cursor"].is_number_integer())
    return Status::unavailable("The server agent gave an answer that could not be read.");
  logs.cursor = v["cursor"].get<int64_t>();
  for (const json& l : v["lines"]) {
    if (!l.is_object()) continue;
    logs.lines.push_back({stringOr(l, "stream", ""), stringOr(l, "time", ""), stringOr(l, "text", "")});
  }
  return logs;
}

Result<orchestration::ServerStats> decodeStats(std::string_view reply) {
  Result<json> j = parseReply(reply);
  if (!j.isOk()) return j.status();
  const json& v = j.value();
  for (const char* key : {"running", "cpu_percent", "memory_bytes", "memory_limit_bytes"}) {
    if (!v.contains(key)) return Status::unavailable("The server agent gave an answer that could not be read.");
  }
  if (!v["running"].is_boolean() || !v["cpu_percent"].is_number() || !v["memory_bytes"].is_number_integer() ||
      !v["memory_limit_bytes"].is_number_integer())
    return Status::unavailable("The server agent gave an answer that could not be read.");
  orchestration::ServerStats s;
  s.running = v["running"].get<bool>();
  s.cpu_percent = v["cpu_percent"].get<double>();
  s.memory_bytes = v["memory_bytes"].get<int64_t>();
  s.memory_limit_bytes = v["memory_limit_bytes"].get<int64_t>();
  return s;
}

Result<orchestration::ReconcileReport> decodeReconcile(std::string_view reply) {
  Result<json> j = parseReply(reply);
  if (!j.isOk()) return j.status();
  const json& v = j.value();
  orchestration::ReconcileReport r;
  int* fields[] = {&r.servers, &r.repairs, &r.orphans_removed, &r.sampled, &r.docker_calls};
  const char* keys[] = {"servers", "repairs", "orphans_removed", "sampled", "docker_calls"};
  for (size_t i = 0; i < 5; ++i) {
    auto it = v.find(keys[i]);
    if (it == v.end() || !it->is_number_integer())
      return Status::unavailable("The server agent gave an answer that could not be read.");
    *fields[i] = it->get<int>();
  }
  return r;
}

Result<std::string> decodeUrl(std::string_view reply) {
  Result<json> j = parseReply(reply);
  if (!j.isOk()) return j.status();
  std::string url = stringOr(j.value(), "url", "");
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
    return Status::unavailable("The server agent gave an answer that could not be read.");
  return url;
}

}  // namespace gsp::agentapi
