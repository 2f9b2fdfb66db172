#include "clincode/code_mentions.h"

#include "clincode/normalise.h"
#include "util/text.h"

namespace clincode {
namespace {

// The length of the code written at `at` ("N17", "I50.0", "S00.01XA", "N17.-"), 0 when none. The category
// is a capital, a digit and a digit or capital (ICD-10-CM has C4A, M1A); a dot and up to four characters
// may follow, or ".-" / "-" meaning "any code of it".
std::size_t CodeAt(std::string_view s, std::size_t at) {
  if (at + 3 > s.size() || !text::IsUpper(s[at]) || !text::IsDigit(s[at + 1])) return 0;
  if (!text::IsDigit(s[at + 2]) && !text::IsUpper(s[at + 2])) return 0;
  std::size_t i = at + 3;
  if (i + 1 < s.size() && s[i] == '.' && (text::IsDigit(s[i + 1]) || text::IsUpper(s[i + 1]))) {
    std::size_t j = i + 1;
    while (j < s.size() && j - i <= 4 && (text::IsDigit(s[j]) || text::IsUpper(s[j]))) ++j;
    i = j;
  }
  if (i < s.size() && text::IsAlnum(s[i])) return 0;  // part of a longer word ("A12B3")
  return i - at;
}

// The release's entry for a written code, or kNone.
std::uint32_t Resolve(const Release& release, std::string_view written) {
  NormalisedCode c;
  if (!TryNormaliseCode(release.system(), written, &c)) return Release::kNone;
  return release.Find(c.code);
}

}  // namespace

std::vector<CodeMention> FindCodeMentions(const Release& release, std::string_view s) {
  std::vector<CodeMention> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if ((i > 0 && text::IsAlnum(s[i - 1])) || !text::IsUpper(s[i])) {
      ++i;
      continue;
    }
    const std::size_t len = CodeAt(s, i);
    if (len == 0) {
      ++i;
      continue;
    }
    std::string_view first = s.substr(i, len);
    std::size_t end = i + len;
    // A range: "B95-B97", "A00-B99".
    if (end + 1 < s.size() && s[end] == '-') {
      if (std::size_t len2 = CodeAt(s, end + 1); len2 != 0) {
        std::string_view second = s.substr(end + 1, len2);
        std::string range = std::string(first) + "-" + std::string(second);
        if (std::uint32_t id = release.Find(range); id != Release::kNone) {
          out.push_back({i, end + 1 + len2, release.at(id).code});
        } else {
          if (std::uint32_t a = Resolve(release, first); a != Release::kNone)
            out.push_back({i, end, release.at(a).code});
          if (std::uint32_t b = Resolve(release, second); b != Release::kNone)
            out.push_back({end + 1, end + 1 + len2, release.at(b).code});
        }
        i = end + 1 + len2;
        continue;
      }
    }
    // "N17.-", "N17-": any code of the category; the mark is part of what is written.
    std::size_t written_end = end;
    if (end + 1 < s.size() && s[end] == '.' && s[end + 1] == '-') {
      written_end = end + 2;
    } else if (end < s.size() && s[end] == '-') {
      written_end = end + 1;
    }
    if (std::uint32_t id = Resolve(release, first); id != Release::kNone) {
      out.push_back({i, written_end, release.at(id).code});
    }
    i = written_end;
  }
  return out;
}

}  // namespace clincode
