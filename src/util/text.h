// Small text routines shared by the loaders and the search index: trimming, ASCII case, UTF-8 checks and the
// case-and-accent folding that search uses. All functions are pure and thread-safe.
#ifndef CLINCODE_UTIL_TEXT_H_
#define CLINCODE_UTIL_TEXT_H_

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace clincode::text {

inline bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAlpha(char c) { return IsUpper(c) || IsLower(c); }
inline bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
inline char ToUpper(char c) { return IsLower(c) ? static_cast<char>(c - 'a' + 'A') : c; }
inline char ToLower(char c) { return IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c; }

// Sets `*s` to `v` by a resize and a copy: a string that already has v's length (a code read into the same
// place row after row) costs a compare and a memcpy, where std::string::assign goes through libstdc++'s
// general replace, a tenth of reading a row.
inline void AssignShort(std::string* s, std::string_view v) {
  s->resize(v.size());
  if (!v.empty()) std::memcpy(s->data(), v.data(), v.size());
}

// Removes ASCII white space (and non-breaking spaces U+00A0) from both ends.
std::string_view TrimSlow(std::string_view s);
inline std::string_view Trim(std::string_view s) {
  // Inline fast path: most fields have nothing to trim, and episode files trim 50 fields a row.
  if (s.empty() || (static_cast<unsigned char>(s.front()) > ' ' && static_cast<unsigned char>(s.back()) > ' ' &&
                    static_cast<unsigned char>(s.front()) != 0xC2 && static_cast<unsigned char>(s.back()) != 0xA0)) {
    return s;
  }
  return TrimSlow(s);
}
std::string ToUpperAscii(std::string_view s);
std::string ToLowerAscii(std::string_view s);
// The text as HTML or XML character data and attribute values: & < > " escaped.
std::string EscapeMarkup(std::string_view s);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// True when `needle` occurs in `s`, ASCII letters compared without case; an empty needle always occurs.
bool ContainsIgnoreCase(std::string_view s, std::string_view needle);

// Splits on `sep`, keeping empty fields.
std::vector<std::string_view> Split(std::string_view s, char sep);

// True when `s` is well-formed UTF-8; otherwise `*bad_offset` is the offset of the first bad byte.
bool IsValidUtf8(std::string_view s, std::size_t* bad_offset);
// Number of code points in well-formed UTF-8 (bytes that start no sequence are not counted).
std::size_t Utf8Length(std::string_view s);

// Appends the search form of `s` to `out`: ASCII lower case, and the Latin letters with diacritics of
// U+00C0..U+017F folded to their base letters ("Ménière" -> "meniere", "Æ" -> "ae"). Other bytes are kept.
// A table rather than ICU: titles in the releases use only these letters, and this runs at load time over
// every title, where an ICU transliterator costs several times more.
void AppendFolded(std::string_view s, std::string* out);
std::string Folded(std::string_view s);

// Calls f(word) for each maximal run of word characters in folded text: ASCII letters and digits, and any
// byte >= 0x80 left after folding (letters of other scripts stay searchable).
template <typename F>
void ForEachWord(std::string_view folded, F&& f) {
  std::size_t i = 0;
  const std::size_t n = folded.size();
  while (i < n) {
    while (i < n && !(IsAlnum(folded[i]) || static_cast<unsigned char>(folded[i]) >= 0x80)) ++i;
    std::size_t start = i;
    while (i < n && (IsAlnum(folded[i]) || static_cast<unsigned char>(folded[i]) >= 0x80)) ++i;
    if (i > start) f(folded.substr(start, i - start));
  }
}

// Optimal string alignment distance (Levenshtein plus adjacent transposition), stopping early once it
// exceeds `limit`; returns limit + 1 in that case.
int BoundedEditDistance(std::string_view a, std::string_view b, int limit);

}  // namespace clincode::text

#endif  // CLINCODE_UTIL_TEXT_H_
