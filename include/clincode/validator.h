// The episode validator: the coding-standard rules and the NICE recommendations of the library, for one
// episode at a time. Immutable; Check() is const and safe to call from many threads.
#ifndef CLINCODE_VALIDATOR_H_
#define CLINCODE_VALIDATOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/episode.h"
#include "clincode/guidance_library.h"
#include "clincode/rules.h"

namespace clincode {
namespace coding {
class MatchGrader;
}

class Validator {
 public:
  Validator(std::shared_ptr<const Catalog> catalog, std::shared_ptr<const RuleSet> rules,
            std::shared_ptr<const GuidanceLibrary> guidance);

  // Appends every finding for `episode`, rules first in rule order, then the guidance checks.
  void Check(const Episode& episode, std::vector<Finding>* out) const;

  // Whether each rule can run on the releases loaded, and why not (a rule that needs release metadata the
  // edition lacks, such as sex and age limits in WHO ICD-10, or `exists` where only the starter data is
  // loaded). In rule order.
  struct RuleCoverage {
    const Rule* rule;
    bool runs = true;
    std::string why_not;  // "ICD-10 WHO 2019 has no sex restrictions"
  };
  const std::vector<RuleCoverage>& coverage() const { return coverage_; }
  // What a run should say once, before any finding: codes not checked for want of a release, rules that
  // cannot run on the edition loaded. Empty when every rule runs on a full release.
  const std::vector<std::string>& notices() const { return notices_; }

  const RuleSet& rules() const { return *rules_; }
  const Catalog& catalog() const { return *catalog_; }

 private:
  // Compiled patterns of each recommendation's groups, so episodes are not parsed against text.
  struct CompiledGroup {
    const Group* group;
    std::vector<CodePattern> any_of;
    std::optional<CodePattern> family;
    // A group that applies with another code ("code=W83.3") applies only when `with` is coded; `never`
    // when that code does not read.
    std::optional<CodePattern> with;
    bool never = false;
    // The guidance rules that speak for the group, found once (GuidanceRule): when it is missing and
    // required, missing and conditional, coded twice over, or (ICD-10) a missing diagnosis.
    const Rule* required_rule = nullptr;
    const Rule* conditional_rule = nullptr;
    const Rule* one_alternative_rule = nullptr;
    const Rule* diagnosis_rule = nullptr;
  };
  // One way of coding a recommendation: its OPCS-4 groups, or those and one scenario's. Ways of one
  // recommendation are adjacent in compiled_; an episode is checked against the way it meets best.
  struct CompiledRecommendation {
    const Recommendation* recommendation;
    const Scenario* scenario;                                          // null when the recommendation has none
    std::shared_ptr<const coding::MatchGrader> grader;                 // how sure a match is
    std::vector<CompiledGroup> procedure_groups;                       // OPCS-4, main first
    std::vector<CompiledGroup> diagnosis_groups;                       // ICD-10
    std::vector<std::pair<const Constraint*, CodePattern>> forbidden;  // OPCS-4 and ICD-10 constraints' codes
  };

  // guidance_check.cc: the recommendations' checks of one episode.
  void CompileGuidance();
  CompiledGroup CompileGroup(const Group& group, CodeSystem system) const;
  const Rule* GuidanceRule(CheckKind kind, const Group& group) const;
  void IndexMainCodes();
  void CandidateWays(const Episode& episode, std::vector<std::uint32_t>* ways) const;
  void CheckGuidance(const Episode& episode, std::vector<Finding>* out) const;
  void CheckRecommendation(const Episode& episode, const std::uint32_t* ways, std::size_t n,
                           std::vector<Finding>* out) const;
  void FindingsOfWay(const Episode& episode, const CompiledRecommendation& way, std::vector<Finding>* found,
                     std::vector<std::string>* missing) const;
  void FindCoverage();

  std::shared_ptr<const Catalog> catalog_;
  std::shared_ptr<const RuleSet> rules_;
  std::shared_ptr<const GuidanceLibrary> guidance_;
  std::vector<CompiledRecommendation> compiled_;
  // The ways whose main group may hold a code of a category (its first three characters), and the ways
  // whose main group is a chapter or a range, tried for every episode: an episode is checked against the
  // few ways its procedures may be, however large the library.
  std::unordered_map<std::string, std::vector<std::uint32_t>> ways_by_category_;
  std::vector<std::uint32_t> broad_ways_;
  const Rule* forbidden_rule_ = nullptr;  // the first guidance_forbidden rule
  const Rule* possible_rule_ = nullptr;   // the first guidance_possible_match rule
  std::vector<RuleCoverage> coverage_;
  std::vector<std::string> notices_;
  RuleSet::Releases single_;  // the releases every episode uses, when only one OPCS-4 release is loaded
  bool one_opcs4_release_ = true;
};

}  // namespace clincode

#endif  // CLINCODE_VALIDATOR_H_
