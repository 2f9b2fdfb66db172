#include "guidance/text_lines.h"

#include <fmt/format.h>

#include "guidance/lexicon.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode::guidance {
namespace {

bool IsConnectorOnly(std::string_view lower) {
  const Lexicon& lx = GetLexicon();
  for (const auto& w : lx.or_words) {
    if (lower == w) return true;
  }
  for (const auto& w : lx.plus_words) {
    if (lower == w) return true;
  }
  return false;
}

// Words after which a wrapped line must go on.
bool EndsOpen(std::string_view lower) {
  static constexpr std::string_view kOpenEnds[] = {" and",   " or",   " of",  " the",  " to", " in",
                                                   " a",     " an",   " for", " with", " by", " from",
                                                   " under", " into", " on",  " at",   ","};
  for (std::string_view e : kOpenEnds) {
    if (lower.size() >= e.size() && lower.substr(lower.size() - e.size()) == e) return true;
  }
  return false;
}

int ParenthesisDepth(std::string_view s) {
  int depth = 0;
  for (char c : s) depth += c == '(' ? 1 : c == ')' ? -1 : 0;
  return depth;
}

// Whether physical line `next` continues logical line `current` (both non-blank and adjacent), whose
// parentheses are `depth` deep at its end. Only the end of `current` is read, so a long paragraph joins in
// linear time.
bool Continues(std::string_view current, int depth, std::string_view next) {
  std::string cur = Lower(current.substr(current.size() > 16 ? current.size() - 16 : 0));
  std::string nxt = Lower(next.substr(0, 16));
  if ((current.size() <= 16 && IsConnectorOnly(cur)) || (next.size() <= 16 && IsConnectorOnly(nxt))) return false;
  if (!cur.empty() && cur.back() == ':') return false;
  if (depth > 0) return true;
  if (!next.empty() && text::IsLower(next[0])) return true;
  return EndsOpen(cur);
}

}  // namespace

std::string CleanLine(std::string_view line) {
  std::string s;
  s.reserve(line.size());
  std::string_view v = line;
  // Leading markdown: headings, quotes, bullets.
  v = text::Trim(v);
  while (!v.empty() && (v[0] == '#' || v[0] == '>')) v = text::Trim(v.substr(1));
  if (v.size() >= 2 && (v[0] == '-' || v[0] == '*' || v[0] == '+') && v[1] == ' ') v = text::Trim(v.substr(2));
  if (v.substr(0, 3) == "\xE2\x80\xA2") v = text::Trim(v.substr(3));  // bullet
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if ((c == '*' || c == '_') && i + 1 < v.size() && v[i + 1] == c) {  // **bold**, __bold__
      ++i;
      continue;
    }
    if (c == '`') continue;
    if (c == '[') {  // [text](target) -> text
      std::size_t close = v.find("](", i);
      std::size_t end = close == std::string_view::npos ? close : v.find(')', close);
      if (end != std::string_view::npos) {
        s.append(v.substr(i + 1, close - i - 1));
        i = end;
        continue;
      }
    }
    if (c == '\t' || c == '\r') c = ' ';
    if (v.substr(i, 3) == "\xE2\x80\x98" || v.substr(i, 3) == "\xE2\x80\x99") {  // curly single quotes
      s.push_back('\'');
      i += 2;
      continue;
    }
    if (static_cast<unsigned char>(c) == 0xC2 && i + 1 < v.size() && static_cast<unsigned char>(v[i + 1]) == 0xA0) {
      c = ' ';  // no-break space
      ++i;
    }
    if (c == ' ' && (s.empty() || s.back() == ' ')) continue;
    s.push_back(c);
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

Result<std::vector<LogicalLine>> CleanLines(std::string_view text, std::string_view source) {
  if (text.size() > kMaxTextBytes) {
    return InvalidArgument(fmt::format("{}: the text is {} bytes; a recommendation is at most {} bytes", source,
                                       text.size(), kMaxTextBytes));
  }
  std::size_t nul = text.find('\0');
  if (nul != std::string_view::npos) {
    return InvalidArgument(
        fmt::format("{}:{}: binary data (a NUL byte), not a recommendation text", source, file::LineOf(text, nul)));
  }
  if (Status s = file::CheckUtf8(text, source); !s.ok()) return InvalidArgument(s.message());
  text = file::StripBom(text);
  if (text::Trim(text).empty()) return InvalidArgument(fmt::format("{}: the text is empty", source));

  std::vector<LogicalLine> out;
  file::LineCursor cursor(text);
  std::string_view raw;
  std::size_t blanks = 0;
  int depth = 0;  // of the parentheses open at the end of out.back()
  while (cursor.Next(&raw)) {
    std::string line = CleanLine(raw);
    if (line.empty()) {
      ++blanks;
      continue;
    }
    if (blanks == 0 && !out.empty() && Continues(out.back().text, depth, line)) {
      out.back().text += " " + line;
      depth += ParenthesisDepth(line);
    } else {
      out.push_back({line, cursor.line_number(), out.empty() ? 0 : blanks});
      depth = ParenthesisDepth(line);
    }
    blanks = 0;
  }
  return out;
}

}  // namespace clincode::guidance
