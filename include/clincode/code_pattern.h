// Code patterns in the notation NICE recommendations use: an exact code (K57.8), a category wildcard
// (Y53.-, or bare Y53), a chapter ("Chapter Z"), a range (C71-C74, also with an en dash) and a union
// ("L76 or L89"). A pattern tests codes and expands against a loaded release. Immutable and thread-safe.
#ifndef CLINCODE_CODE_PATTERN_H_
#define CLINCODE_CODE_PATTERN_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/code_system.h"
#include "clincode/release.h"
#include "clincode/status.h"

namespace clincode {

class CodePattern {
 public:
  enum class Kind : std::uint8_t { kExact, kCategory, kChapter, kRange, kUnion };

  // Parses `text` for `system`. Accepts the dash variants NICE texts use ("Y53.-", "Y53 -", "Y53.–",
  // "Y53-"), "Chapter Z", "Chapter 'Z'", roman ICD-10 chapters ("Chapter IX"), ranges "C71–C74" and
  // unions joined by "or" or commas. Fails with kInvalidArgument naming the text.
  static Result<CodePattern> Parse(CodeSystem system, std::string_view text);

  Kind kind() const { return kind_; }
  CodeSystem system() const { return system_; }
  // The normalised notation, as written: "Y53.-", "Y68" (a bare category), "K57.8", "Chapter Z",
  // "C71-C74", "L76 or L89".
  std::string ToString() const;
  // The union's members; empty for other kinds.
  const std::vector<CodePattern>& alternatives() const { return alternatives_; }

  // True when the canonical code `code` (as a release holds it) is covered. A chapter pattern of OPCS-4
  // also covers the Chapter O overflow categories that extend that chapter (O14.2 is a Chapter Z site).
  bool Matches(std::string_view code) const;

  // The categories and codes of `release` the pattern covers, in code order.
  std::vector<std::uint32_t> Expand(const Release& release) const;

 private:
  CodePattern() = default;
  void ExpandInto(const Release& release, std::vector<std::uint32_t>* out) const;

  Kind kind_ = Kind::kExact;
  CodeSystem system_ = CodeSystem::kOpcs4;
  std::string first_;  // exact code; category; chapter key ("Z", "IX"); range start
  std::string last_;   // range end
  bool bare_ = false;  // a category written without ".-" ("Y68"): kept so the notation reads as written
  std::vector<CodePattern> alternatives_;
};

}  // namespace clincode

#endif  // CLINCODE_CODE_PATTERN_H_
