// Recommendation groups against an episode's codes: shared by the validator and the matcher.
#ifndef CLINCODE_CODING_GROUP_PATTERNS_H_
#define CLINCODE_CODING_GROUP_PATTERNS_H_

#include <optional>
#include <string>
#include <vector>

#include "clincode/code_pattern.h"
#include "clincode/episode.h"

namespace clincode::coding {

// The patterns of a group as written; a pattern that does not parse is left out (the library was checked
// when it was read).
inline std::vector<CodePattern> CompilePatterns(CodeSystem system, const std::vector<std::string>& patterns) {
  std::vector<CodePattern> out;
  for (const auto& p : patterns) {
    auto c = CodePattern::Parse(system, p);
    if (c.ok()) out.push_back(*c);
  }
  return out;
}

// Whether a code of `codes` matches one of `patterns`; codes matching `except` never count (a laterality
// code does not stand for a site code).
inline bool AnyMatches(const std::vector<CodePattern>& patterns, const std::vector<EpisodeCode>& codes,
                       const std::optional<CodePattern>& except = std::nullopt) {
  for (const auto& c : codes) {
    if (c.code.empty() || (except && except->Matches(c.code))) continue;
    for (const auto& p : patterns) {
      if (p.Matches(c.code)) return true;
    }
  }
  return false;
}

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_GROUP_PATTERNS_H_
