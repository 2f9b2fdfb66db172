// The codes a release's note names ("Excludes1: acute kidney failure (N17.-)", "Use additional code (B95-B97)"),
// found so that a screen can link each to its page. Only what the release holds is a mention: a word shaped
// like a code that names nothing in it stays text.
#ifndef CLINCODE_CODE_MENTIONS_H_
#define CLINCODE_CODE_MENTIONS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/release.h"

namespace clincode {

struct CodeMention {
  std::size_t begin = 0, end = 0;  // byte offsets of the written code or range in the text
  std::string code;                // the release's code it names: "N17" (for "N17.-"), "B95-B97" (a block)
};

// The mentions in `text`, in order, never overlapping. A range "B95-B97" is one mention when the release
// has it as a block, else one per end that it holds. Linear in the text; a note of any size is safe.
std::vector<CodeMention> FindCodeMentions(const Release& release, std::string_view text);

}  // namespace clincode

#endif  // CLINCODE_CODE_MENTIONS_H_
