// First step of reading a recommendation text: check it is text, strip markdown and noise, and join the
// lines a PDF or web page wrapped, so each logical line is one paragraph, code line or connector.
#ifndef CLINCODE_GUIDANCE_TEXT_LINES_H_
#define CLINCODE_GUIDANCE_TEXT_LINES_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/status.h"

namespace clincode::guidance {

struct LogicalLine {
  std::string text;              // cleaned: no markdown, single spaces, trimmed
  std::size_t line;              // 1-based number of its first physical line
  std::size_t blank_before = 0;  // blank physical lines between it and the logical line before it
};

// The largest text the reader accepts; NICE recommendations are a few kilobytes.
inline constexpr std::size_t kMaxTextBytes = 1 << 20;

// Fails with kInvalidArgument for an empty text, binary data (NUL bytes), text that is not UTF-8 (naming the
// line) or a text over kMaxTextBytes.
Result<std::vector<LogicalLine>> CleanLines(std::string_view text, std::string_view source);

// Markdown and spacing removed from one line: "**V55.-** [here](#)" -> "V55.- here".
std::string CleanLine(std::string_view line);

}  // namespace clincode::guidance

#endif  // CLINCODE_GUIDANCE_TEXT_LINES_H_
