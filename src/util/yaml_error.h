// Errors in knowledge files read with yaml-cpp: thrown inside a reader with the file and line of the node,
// caught at the reader's entry point and returned as a kParseError.
#ifndef CLINCODE_UTIL_YAML_ERROR_H_
#define CLINCODE_UTIL_YAML_ERROR_H_

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>

namespace clincode {

struct YamlError {
  std::string message;  // "<source>:<line>: <what>"
};

[[noreturn]] inline void FailAt(std::string_view source, const YAML::Node& node, const std::string& what) {
  throw YamlError{fmt::format("{}:{}: {}", source, node.Mark().line + 1, what)};
}

}  // namespace clincode

#endif  // CLINCODE_UTIL_YAML_ERROR_H_
