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
  bool in_parentheses = false;     // "(C71-C74)", "(Y35, Y36)"
};

// Code patterns in `line` for `system` at word boundaries, outside parentheses unless `in_parentheses`.
// Accepts the written variants "Y53.-", "Y53 -", "Y53.–", "Y53-", "Y74. -", ranges "C71–C74", a space
// inside a code ("S07. 9"), the X of an undivided ICD-10 category ("C61.X", read as C61), a code glued to
// a connector word ("plusZ84.6"), and CPT codes for the CPT system.
std::vector<CodeToken> FindCodeTokens(std::string_view line, CodeSystem system, bool in_parentheses = false);

// kList: a comma; SplitFragments resolves it to the connector that ends the list.
enum class Connector { kNone, kOr, kPlus, kList };

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
