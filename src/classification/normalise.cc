#include "clincode/normalise.h"

#include <fmt/format.h>

#include "util/text.h"

namespace clincode {
namespace {

// The readers below return nullptr when the text is a code (filling *out), or why it is not. The reason is
// a static string so that TryNormaliseCode never allocates for a miss: a lookup across every loaded system
// meets a miss in most of them.
using Why = const char*;

bool IsCategoryStem(std::string_view s) {
  return s.size() >= 3 && text::IsUpper(s[0]) && text::IsDigit(s[1]) && text::IsDigit(s[2]);
}

// Removes a written dagger or asterisk mark at the end ("†", "+", "*").
DaggerAsterisk StripWrittenMark(std::string_view* s) {
  static constexpr std::string_view kDagger = "\xE2\x80\xA0";  // U+2020 DAGGER
  if (s->size() >= kDagger.size() && s->substr(s->size() - kDagger.size()) == kDagger) {
    s->remove_suffix(kDagger.size());
    return DaggerAsterisk::kDagger;
  }
  if (!s->empty() && s->back() == '+') {
    s->remove_suffix(1);
    return DaggerAsterisk::kDagger;
  }
  if (!s->empty() && s->back() == '*') {
    s->remove_suffix(1);
    return DaggerAsterisk::kAsterisk;
  }
  return DaggerAsterisk::kNone;
}

Why ReadOpcs4(std::string_view s, NormalisedCode* out) {
  if (!IsCategoryStem(s)) return "expected a letter and two digits, as in K57.8";
  std::string_view rest = s.substr(3);
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    if (rest.empty()) return "a dot must be followed by the fourth character";
  }
  if (!rest.empty() && (rest.size() != 1 || !text::IsDigit(rest[0]))) {
    return "an OPCS-4 code has one digit after the category, as in K57.8";
  }
  out->code.assign(s.substr(0, 3));
  if (!rest.empty()) {
    out->code.push_back('.');
    out->code.push_back(rest[0]);
  }
  return nullptr;
}

Why ReadIcd10(std::string_view s, NormalisedCode* out) {
  out->mark = StripWrittenMark(&s);
  if (!IsCategoryStem(s)) return "expected a letter and two digits, as in I50.0";
  std::string_view rest = s.substr(3);
  bool dotted = false;
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    dotted = true;
  }
  // A HES mark suffix: D dagger, A asterisk (after a digit or the X filler).
  if (!rest.empty() && (rest.back() == 'A' || rest.back() == 'D') && out->mark == DaggerAsterisk::kNone) {
    out->mark = rest.back() == 'D' ? DaggerAsterisk::kDagger : DaggerAsterisk::kAsterisk;
    rest.remove_suffix(1);
    if (rest.empty()) return "a dagger or asterisk suffix must follow the fourth character";
  }
  if (rest == "X") {
    // C61X (HES); C61.X as NICE texts write it.
    out->padded = true;
    rest = {};
  } else if (rest.size() == 2 && rest[0] == 'X' && text::IsDigit(rest[1])) {
    // A fifth character under an undivided category: M45.X0 (the release's CODE), M45X0 (HES).
  } else if (rest.empty()) {
    if (dotted) return "a dot must be followed by the fourth character";
  } else if (rest.size() > 2 || !text::IsDigit(rest[0]) || (rest.size() == 2 && !text::IsDigit(rest[1]))) {
    return "expected one or two digits after the category, as in I50.0, M80.05 or M45.X0";
  }
  out->code.assign(s.substr(0, 3));
  if (!rest.empty()) {
    out->code.push_back('.');
    out->code.append(rest);
  }
  return nullptr;
}

Why ReadIcd10Cm(std::string_view s, NormalisedCode* out) {
  if (s.size() < 3 || !text::IsUpper(s[0]) || !text::IsDigit(s[1]) || !text::IsAlnum(s[2])) {
    return "expected a letter, a digit and a letter or digit, as in S00 or C4A";
  }
  std::string_view rest = s.substr(3);
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    if (rest.empty()) return "a dot must be followed by more characters";
  }
  if (rest.size() > 4) return "an ICD-10-CM code has at most seven characters";
  for (char c : rest) {
    if (!text::IsAlnum(c)) return "only letters and digits may follow the dot";
  }
  out->code.assign(s.substr(0, 3));
  if (!rest.empty()) {
    out->code.push_back('.');
    out->code.append(rest);
  }
  return nullptr;
}

Why ReadCpt(std::string_view s, NormalisedCode* out) {
  bool ok = s.size() == 5 && text::IsDigit(s[0]) && text::IsDigit(s[1]) && text::IsDigit(s[2]) && text::IsDigit(s[3]) &&
            (text::IsDigit(s[4]) || s[4] == 'F' || s[4] == 'T' || s[4] == 'U');
  if (!ok) return "expected five digits, or four digits and F, T or U";
  out->code.assign(s);
  return nullptr;
}

Why ReadSnomed(std::string_view s, NormalisedCode* out) {
  bool ok = s.size() >= 6 && s.size() <= 18 && s[0] != '0';
  for (char c : s) ok = ok && text::IsDigit(c);
  if (!ok) return "a SNOMED CT identifier is 6 to 18 digits";
  out->code.assign(s);
  return nullptr;
}

constexpr std::size_t kMaxInput = 24;

Why Read(CodeSystem system, std::string_view input, NormalisedCode* out) {
  std::string_view trimmed = text::Trim(input);
  if (trimmed.empty()) return "empty";
  if (trimmed.size() > kMaxInput) return "too long to be a code";
  char upper[kMaxInput];
  for (std::size_t i = 0; i < trimmed.size(); ++i) {
    if (text::IsSpace(trimmed[i])) return "a code has no spaces inside";
    upper[i] = text::ToUpper(trimmed[i]);
  }
  std::string_view s(upper, trimmed.size());
  *out = NormalisedCode{};
  switch (system) {
    case CodeSystem::kOpcs4: return ReadOpcs4(s, out);
    case CodeSystem::kIcd10: return ReadIcd10(s, out);
    case CodeSystem::kIcd10Cm: return ReadIcd10Cm(s, out);
    case CodeSystem::kCpt: return ReadCpt(s, out);
    case CodeSystem::kSnomedCt: return ReadSnomed(s, out);
  }
  return "unknown system";
}

}  // namespace

bool TryNormaliseCode(CodeSystem system, std::string_view input, NormalisedCode* out) {
  return Read(system, input, out) == nullptr;
}

Result<NormalisedCode> NormaliseCode(CodeSystem system, std::string_view input) {
  NormalisedCode out;
  Why why = Read(system, input, &out);
  if (why == nullptr) return out;
  std::string_view shown = input.size() > kMaxInput ? input.substr(0, kMaxInput) : input;
  if (text::Trim(input).empty()) return InvalidArgument(fmt::format("empty {} code", CodeSystemName(system)));
  return InvalidArgument(fmt::format("malformed {} code \"{}\": {}", CodeSystemName(system), shown, why));
}

std::string CdsForm(CodeSystem system, std::string_view canonical, bool undivided, DaggerAsterisk mark) {
  if (system != CodeSystem::kOpcs4 && system != CodeSystem::kIcd10) return std::string(canonical);
  std::string out;
  out.reserve(canonical.size() + 1);
  for (char c : canonical) {
    if (c != '.') out.push_back(c);
  }
  if (system == CodeSystem::kIcd10) {
    if (undivided && out.size() == 3) out.push_back('X');
    if (mark == DaggerAsterisk::kDagger) out.push_back('D');
    if (mark == DaggerAsterisk::kAsterisk) out.push_back('A');
  }
  return out;
}

std::string RecordForm(CodeSystem system, std::string_view canonical, bool undivided, DaggerAsterisk mark) {
  if (system != CodeSystem::kIcd10Cm) return CdsForm(system, canonical, undivided, mark);
  std::string out;
  out.reserve(canonical.size());
  for (char c : canonical) {
    if (c != '.') out.push_back(c);
  }
  return out;
}

}  // namespace clincode
