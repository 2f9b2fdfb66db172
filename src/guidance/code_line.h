// Reading the codes in one line of a recommendation: where the code patterns are, the title written after
// each, the connector between them (Or joins alternatives, Plus/and starts a new group) and any condition.
#ifndef CLINCODE_GUIDANCE_CODE_LINE_H_
#define CLINCODE_GUIDANCE_CODE_LINE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/code_system.h"

namespace clincode::guidance {

struct CodeToken {
  std::size_t begin = 0, end = 0;  // byte range in the line
  std::string pattern;             // normalised: "Y53.-", "Y68", "K57.8", "C71-C74", "0408T"
};

// Code patterns in `line` for `system`, outside parentheses, at word boundaries. Accepts the written
// variants "Y53.-", "Y53 -", "Y53.–", "Y53-", ranges "C71–C74", and CPT codes for the CPT system.
std::vector<CodeToken> FindCodeTokens(std::string_view line, CodeSystem system);

enum class Connector { kNone, kOr, kPlus };

struct CodeFragment {
  std::string pattern;
  std::string title;                    // as written, without connectors, assignment phrases or conditions
  std::string condition;                // the condition text, "" when none
  Connector before = Connector::kNone;  // how it joins the previous fragment of the line
};

// The fragments of a line whose tokens are `tokens` (non-empty).
std::vector<CodeFragment> SplitFragments(std::string_view line, const std::vector<CodeToken>& tokens);

}  // namespace clincode::guidance

#endif  // CLINCODE_GUIDANCE_CODE_LINE_H_
