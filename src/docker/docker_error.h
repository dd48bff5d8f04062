// Errors of the Docker Engine API client as values. A DockerError says which
// part failed (engine unreachable, timeout, unusable answer, engine refusal,
// no common API version, local) with the HTTP status and the engine's own
// message. DockerStatus and DockerResult<T> carry it while still being a
// gsp::Status / gsp::Result<T>, so callers that only need the coarse code
// (404 -> kNotFound, 409 -> kConflict, engine down -> kUnavailable) can ignore
// the detail. Plain values.
#pragma once

#include <string>
#include <utility>

#include "core/status.h"

namespace gsp::docker {

enum class ErrorKind {
  kNone,
  kUnreachable,  // could not connect to the engine's socket
  kTimeout,      // connect or whole call exceeded its deadline
  kBadResponse,  // the engine's answer is unusable: bad JSON, cut short, corrupt stream
  kEngine,       // the engine answered with an HTTP error status (see httpStatus())
  kIncompatible, // no API version both the engine and this client speak
  kLocal,        // a problem on our side: bad argument, output file, sink refused data
};

const char* errorKindName(ErrorKind kind);

class DockerError {
 public:
  DockerError() = default;
  DockerError(ErrorKind kind, std::string message, int http_status = 0)
      : kind_(kind), http_status_(http_status), message_(std::move(message)) {}

  // An error answer of the engine: `body` is its {"message": "..."} JSON (or
  // anything else, which is then quoted, shortened). `what` names the call.
  static DockerError fromEngineResponse(int http_status, const std::string& body,
                                        const std::string& what);

  ErrorKind kind() const { return kind_; }
  int httpStatus() const { return http_status_; }  // 0 unless kind() == kEngine
  const std::string& message() const { return message_; }         // a full sentence
  const std::string& engineMessage() const { return engine_message_; }  // kEngine: as sent
  bool isNotFound() const { return kind_ == ErrorKind::kEngine && http_status_ == 404; }
  bool isConflict() const { return kind_ == ErrorKind::kEngine && http_status_ == 409; }

  // The coarse gsp::Status: unreachable/timeout -> kUnavailable, engine 400 ->
  // kInvalid, 403 -> kForbidden, 404 -> kNotFound, 409 -> kConflict, 503 ->
  // kUnavailable, everything else -> kInternal.
  Status toStatus() const;

 private:
  ErrorKind kind_ = ErrorKind::kNone;
  int http_status_ = 0;
  std::string message_;
  std::string engine_message_;
};

// The outcome of a call without a value.
class DockerStatus : public Status {
 public:
  DockerStatus() = default;
  DockerStatus(DockerError error)  // NOLINT: implicit on purpose, like gsp::Result
      : Status(error.toStatus()), error_(std::move(error)) {}
  const DockerError& error() const { return error_; }

 private:
  DockerError error_;
};

// A value or the DockerError that explains why there is none.
template <typename T>
class DockerResult : public Result<T> {
 public:
  DockerResult(T value) : Result<T>(std::move(value)) {}  // NOLINT
  DockerResult(DockerError error)                          // NOLINT
      : Result<T>(error.toStatus()), error_(std::move(error)) {}
  const DockerError& error() const { return error_; }

 private:
  DockerError error_;
};

}  // namespace gsp::docker
