#include "request_target.h"

#include <fmt/format.h>

#include "clincode/utf8.h"

namespace clincode::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Why decoded text cannot be taken, or "" when it can: it must be UTF-8, and hold no control bytes (a tab
// is allowed in parameter values, never in the path).
std::string NotText(std::string_view s, bool tab_allowed) {
  std::size_t bad = 0;
  if (!IsValidUtf8(s, &bad)) {
    return fmt::format("is not UTF-8 text (byte 0x{:02X} at {})", static_cast<unsigned char>(s[bad]), bad + 1);
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && !(tab_allowed && c == '\t')) || c == 0x7F) {
      return fmt::format("holds the control byte 0x{:02X} (at {})", c, i + 1);
    }
  }
  return {};
}

bool Fail(TargetError* error, std::string part, std::string message) {
  error->part = std::move(part);
  error->message = std::move(message);
  return false;
}

}  // namespace

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (in.size() - i < 3) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

bool ParseTarget(std::string_view target, RequestTarget* out, TargetError* error) {
  out->path.clear();
  out->query.clear();
  if (target.empty() || target[0] != '/') {
    return Fail(error, "path", "the request target must be a path starting with '/'");
  }
  std::size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  std::string_view raw_query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
  // A fragment is never sent by a client; one that is sent is not part of the query.
  if (std::size_t hash = raw_query.find('#'); hash != std::string_view::npos) raw_query = raw_query.substr(0, hash);
  if (!PercentDecode(raw_path, false, &out->path)) {
    return Fail(error, "path", "the path has a '%' that is not followed by two hex digits");
  }
  if (std::string why = NotText(out->path, false); !why.empty()) return Fail(error, "path", "the path " + why);

  std::size_t count = 0;
  std::string name, value;
  while (!raw_query.empty()) {
    std::size_t amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    if (++count > kMaxQueryParameters) {
      return Fail(error, "query", fmt::format("more than {} query parameters", kMaxQueryParameters));
    }
    std::size_t eq = pair.find('=');
    std::string_view raw_name = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    if (!PercentDecode(raw_name, true, &name)) {
      return Fail(error, "query", "a query parameter name has a '%' that is not followed by two hex digits");
    }
    if (std::string why = NotText(name, false); !why.empty()) {
      return Fail(error, "query", "a query parameter name " + why);
    }
    if (!PercentDecode(raw_value, true, &value)) {
      return Fail(error, name,
                  fmt::format("query parameter \"{}\" has a '%' that is not followed by two hex digits", name));
    }
    if (std::string why = NotText(value, true); !why.empty()) {
      return Fail(error, name, fmt::format("query parameter \"{}\" {}", name, why));
    }
    out->query.emplace(name, value);
  }
  return true;
}

}  // namespace clincode::server
