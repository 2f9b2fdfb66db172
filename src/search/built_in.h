// Reading a built-in knowledge file of the search layer once. The files are part of the build and covered by
// tests, so a malformed one is a build defect: it is reported and the program stops.
#ifndef CLINCODE_SEARCH_BUILT_IN_H_
#define CLINCODE_SEARCH_BUILT_IN_H_

#include <fmt/format.h>

#include <cstdlib>
#include <string_view>

#include "classification/embedded.h"
#include "clincode/status.h"

namespace clincode::search {

template <typename T>
T ParseBuiltIn(std::string_view name, Result<T> (*parse)(std::string_view, std::string_view)) {
  auto parsed = parse(embedded::Find(name), name);
  if (!parsed.ok()) {
    fmt::print(stderr, "clincode: built-in knowledge file is malformed: {}\n", parsed.status().message());
    std::abort();
  }
  return std::move(*parsed);
}

}  // namespace clincode::search

#endif  // CLINCODE_SEARCH_BUILT_IN_H_
