// Recommendation groups against an episode's codes: shared by the validator and the matcher.
#ifndef CLINCODE_CODING_GROUP_PATTERNS_H_
#define CLINCODE_CODING_GROUP_PATTERNS_H_

#include <optional>
#include <string>
#include <vector>

#include "clincode/code_pattern.h"
#include "clincode/episode.h"
#include "clincode/guidance.h"

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

// One way of coding a recommendation's procedure: the OPCS-4 section's groups, or those and one scenario's,
// with whichever holds the main procedure first. A section without scenarios has one way.
struct WayOfCoding {
  const Scenario* scenario = nullptr;
  std::vector<const Group*> groups;
};

inline std::vector<WayOfCoding> WaysOfCoding(const Section& opcs) {
  std::vector<const Group*> common;
  for (const Group& g : opcs.groups) common.push_back(&g);
  std::vector<WayOfCoding> ways;
  if (opcs.scenarios.empty()) ways.push_back({nullptr, common});
  for (const Scenario& sc : opcs.scenarios) {
    std::vector<const Group*> own;
    for (const Group& g : sc.groups) own.push_back(&g);
    const bool common_first = !common.empty() && common.front()->role == GroupRole::kMain;
    WayOfCoding way{&sc, common_first ? common : own};
    for (const Group* g : common_first ? own : common) way.groups.push_back(g);
    ways.push_back(std::move(way));
  }
  return ways;
}

}  // namespace clincode::coding

#endif  // CLINCODE_CODING_GROUP_PATTERNS_H_
