#include "docker/docker_error.h"

#include <nlohmann/json.hpp>

namespace gsp::docker {

namespace {

// Engine bodies are short; anything long is not an error message meant for people.
constexpr size_t kMaxQuotedBody = 200;

std::string quoteBody(const std::string& body) {
  std::string out;
  for (char c : body.substr(0, kMaxQuotedBody)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';  // keep log lines and pages printable
  }
  if (body.size() > kMaxQuotedBody) out += "...";
  return out;
}

}  // namespace

const char* errorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kNone: return "ok";
    case ErrorKind::kUnreachable: return "unreachable";
    case ErrorKind::kTimeout: return "timeout";
    case ErrorKind::kBadResponse: return "bad response";
    case ErrorKind::kEngine: return "engine error";
    case ErrorKind::kIncompatible: return "incompatible";
    case ErrorKind::kLocal: return "local error";
  }
  return "?";
}

DockerError DockerError::fromEngineResponse(int http_status, const std::string& body,
                                            const std::string& what) {
  std::string engine_message;
  // parse(..., allow_exceptions=false) returns a discarded value instead of throwing.
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object()) {
    auto it = j.find("message");
    if (it != j.end() && it->is_string()) engine_message = it->get<std::string>();
  }
  if (engine_message.empty()) {
    std::string trimmed = body;
    while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
    engine_message = trimmed.empty() ? "(no message)" : quoteBody(trimmed);
  }
  DockerError e(ErrorKind::kEngine,
                "Docker engine refused " + what + " (HTTP " + std::to_string(http_status) +
                    "): " + engine_message,
                http_status);
  e.engine_message_ = engine_message;
  return e;
}

Status DockerError::toStatus() const {
  switch (kind_) {
    case ErrorKind::kNone: return Status::ok();
    case ErrorKind::kUnreachable:
    case ErrorKind::kTimeout: return Status::unavailable(message_);
    case ErrorKind::kBadResponse:
    case ErrorKind::kIncompatible:
    case ErrorKind::kLocal: return Status::internal(message_);
    case ErrorKind::kEngine:
      switch (http_status_) {
        case 400: return Status::invalid(message_);
        case 403: return Status::forbidden(message_);
        case 404: return Status::notFound(message_);
        case 409: return Status::conflict(message_);
        case 503: return Status::unavailable(message_);
        default: return Status::internal(message_);
      }
  }
  return Status::internal(message_);
}

}  // namespace gsp::docker
