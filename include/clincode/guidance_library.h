// The library of recommendations: the built-in curated files (knowledge/guidance/*.yaml, compiled in) and
// the user's own, from folders (*.yaml curated files; *.txt and *.md NICE texts read by the reader).
// Immutable after Load(); safe to share between threads.
#ifndef CLINCODE_GUIDANCE_LIBRARY_H_
#define CLINCODE_GUIDANCE_LIBRARY_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/guidance.h"
#include "clincode/status.h"

namespace clincode {

// Reads one curated recommendation file (the format is documented in docs/guidance.md). Fails with
// kParseError naming the source, line and key for malformed YAML, an unknown classification or role, or a
// code pattern that does not parse.
Result<Recommendation> ReadRecommendationYaml(std::string_view yaml, std::string_view source);

// A recommendation as a curated YAML file (docs/guidance.md) that ReadRecommendationYaml reads back to the
// same structure (SameStructure), written titles included.
std::string WriteRecommendationYaml(const Recommendation& recommendation);

struct GuidanceLibraryOptions {
  std::vector<std::string> dirs;  // user folders; a user file replaces a built-in one with the same id
  bool builtin = true;            // include the built-in recommendations
};

class GuidanceLibrary {
 public:
  static Result<std::shared_ptr<const GuidanceLibrary>> Load(const GuidanceLibraryOptions& options);

  // In id order.
  const std::vector<Recommendation>& all() const { return recommendations_; }
  // By id, any case ("ipg655"); null when absent.
  const Recommendation* Find(std::string_view id) const;

  // A recommendation that mentions a code: the group whose pattern (or placeholder family) covers it.
  struct Mention {
    const Recommendation* recommendation;
    CodeSystem system;
    std::size_t group;     // index in the section's groups, or of the CPT code
    std::string pattern;   // the pattern that covers the code ("Y53.-"), or the placeholder family
    bool via_placeholder;  // covered by a placeholder's family rather than a written code
  };
  // Recommendations mentioning `input`: a code in any usual form, or a pattern ("Y53.-"); `system` limits
  // the systems tried. Fails with kInvalidArgument when the input is no code or pattern of any system.
  Result<std::vector<Mention>> Mentioning(std::string_view input, std::optional<CodeSystem> system = {}) const;

 private:
  GuidanceLibrary() = default;
  std::vector<Recommendation> recommendations_;
};

// Renders a recommendation as a readable page in the NICE layout, as markdown. Titles of codes come from
// `catalog` when it holds them, else from the titles written in the recommendation. Reading the result
// with ReadRecommendationText gives the same structure (SameStructure).
std::string RenderMarkdown(const Recommendation& recommendation, const Catalog* catalog);

// A problem `CheckGuidance` found.
struct GuidanceProblem {
  std::string guidance_id;
  std::string kind;     // unknown_code, retired_code, empty_pattern, title_changed, version_differs
  std::string code;     // the pattern or code concerned
  std::string release;  // the release checked against
  std::string message;
};

// Checks every recommendation of `library` against the releases of `catalog`: codes that do not exist or
// are retired, patterns that expand to nothing, written titles that no longer match, and recommendations
// written for another version than the release loaded.
std::vector<GuidanceProblem> CheckGuidance(const GuidanceLibrary& library, const Catalog& catalog);

}  // namespace clincode

#endif  // CLINCODE_GUIDANCE_LIBRARY_H_
