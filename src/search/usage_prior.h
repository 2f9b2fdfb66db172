// How often codes were used in English hospital episodes (knowledge/search/hes_usage.tsv: HES Admitted Patient
// Care, FY2012-13 to FY2023-24, Open Government Licence v3), as a prior for ranking: the common sense of a word
// first. Only OPCS-4 and ICD-10 are counted; other systems have no prior. Immutable; thread-safe.
#ifndef CLINCODE_SEARCH_USAGE_PRIOR_H_
#define CLINCODE_SEARCH_USAGE_PRIOR_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/code_system.h"
#include "clincode/status.h"

namespace clincode::search {

class UsagePrior {
 public:
  // The built-in table, read once; a malformed built-in file aborts (a build defect).
  static const UsagePrior& BuiltIn();
  // Reads "system<TAB>code<TAB>count" lines ('#' comments); fails naming `source:line` and the value.
  static Result<UsagePrior> Parse(std::string_view tsv, std::string_view source);

  // Episodes that recorded `code` (as a release writes it: "I50.9", "C61", "W39") or any code below it: a
  // category counts its codes, an undivided ICD-10 category its X form ("C61X"). 0 when unknown.
  std::uint64_t Count(CodeSystem system, std::string_view code) const;
  std::size_t size() const { return rows_.size(); }

 private:
  struct Row {
    CodeSystem system;
    std::string code;  // CDS form: "I509", "C61X", "W391"
    std::uint64_t count;
  };
  std::vector<Row> rows_;               // sorted by system, then code
  std::vector<std::uint64_t> running_;  // running_[i] = sum of counts of rows_[0 .. i)
};

}  // namespace clincode::search

#endif  // CLINCODE_SEARCH_USAGE_PRIOR_H_
