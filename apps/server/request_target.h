// The request target of an HTTP request ("/v1/search?q=heart%20fail&limit=5") split into its path and
// query parameters, percent-decoded, and checked at the door: a path or a parameter that does not decode to
// UTF-8 text is refused here, naming what was wrong, so no handler (and nothing that echoes a value in an
// answer) ever sees a byte that is not text. Pure functions; thread-safe.
#ifndef CLINCODE_APPS_SERVER_REQUEST_TARGET_H_
#define CLINCODE_APPS_SERVER_REQUEST_TARGET_H_

#include <string>
#include <string_view>

#include "router.h"

namespace clincode::server {

struct RequestTarget {
  std::string path;   // decoded: "/v1/codes/opcs4/K57.8"
  QueryParams query;  // decoded names and values, in the order given ('+' is a space)
};

// Why a target was refused: a 400 that names the part ("path", or the parameter's name).
struct TargetError {
  std::string part;     // "path", "query", or the parameter's name ("system")
  std::string message;  // `parameter "system" is not UTF-8 text (byte 0xFF at 1)`
};

// The most parameters one target may carry; a real request has a handful.
inline constexpr std::size_t kMaxQueryParameters = 256;

// Parses an origin-form target ("/path?query"). Fails when the target does not start with '/', a percent
// sign is not followed by two hex digits, the decoded path or any decoded name or value is not UTF-8 or
// holds a NUL or other control byte, or there are more than kMaxQueryParameters parameters.
bool ParseTarget(std::string_view target, RequestTarget* out, TargetError* error);

// Percent-decodes `in` into *out ('+' as a space when `plus_is_space`); false on a malformed escape.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_REQUEST_TARGET_H_
