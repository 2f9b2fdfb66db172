// Status and Result<T>: how clincode reports expected failures (unknown code, malformed release file, bad
// input). Programmer errors are asserts; exceptions are used only at a program's outer boundary.
#ifndef CLINCODE_STATUS_H_
#define CLINCODE_STATUS_H_

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace clincode {

// A small code that callers branch on; maps onto an HTTP status and a CLI exit code.
enum class StatusCode {
  kOk,
  kInvalidArgument,  // the caller's value is malformed (a code, a flag, a query): HTTP 400
  kNotFound,         // a well-formed value that names nothing loaded: HTTP 404
  kParseError,       // a data file is malformed or truncated: message carries file:line
  kUnsupported,      // a file whose format is not one clincode reads
  kIoError,          // a file could not be opened or read
  kCancelled,        // the caller asked to stop before the end
  kInternal,
};

// Returns "ok", "invalid argument", ... for messages and JSON.
std::string_view StatusCodeName(StatusCode code);

// Outcome of an operation: ok, or a code and a message that names the offending value and where it was,
// e.g. `malformed OPCS-4 code "K5X.8" at episodes.csv:17`. Cheap to copy when ok. Thread-compatible.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: malformed ..." (or "ok").
  std::string ToString() const;
  // 200, 400, 404, 422, 415, 500 ...
  int HttpStatus() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status ParseError(std::string message);
Status Unsupported(std::string message);
Status IoError(std::string message);
Status Cancelled(std::string message);

// A value or the Status saying why there is none. std::expected needs C++23, so this is our own small type.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design, like std::expected
  Result(Status status) : state_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(state_).ok() && "a Result holding a Status must hold an error");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace clincode

#endif  // CLINCODE_STATUS_H_
