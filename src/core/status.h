// Status and Result<T>: expected failures as values, in the style of leveldb's Status.
// A Status is ok() or carries a code and a message meant for the person who sees it.
// Plain values; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace gsp {

class Status {
 public:
  enum class Code { kOk, kInvalid, kNotFound, kConflict, kForbidden, kUnavailable, kInternal };

  Status() = default;
  static Status ok() { return Status(); }
  static Status invalid(std::string m) { return Status(Code::kInvalid, std::move(m)); }
  static Status notFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status conflict(std::string m) { return Status(Code::kConflict, std::move(m)); }
  static Status forbidden(std::string m) { return Status(Code::kForbidden, std::move(m)); }
  static Status unavailable(std::string m) { return Status(Code::kUnavailable, std::move(m)); }
  static Status internal(std::string m) { return Status(Code::kInternal, std::move(m)); }
  // For a code carried across a process boundary (kOk gives ok(), without the message).
  static Status withCode(Code c, std::string m) { return c == Code::kOk ? Status() : Status(c, std::move(m)); }

  bool isOk() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {}  // NOLINT
  bool isOk() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const { return *value_; }
  T& value() { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace gsp
