#include "clincode/normalise.h"

#include <fmt/format.h>

#include "util/text.h"

namespace clincode {
namespace {

Status Malformed(CodeSystem system, std::string_view input, std::string_view why) {
  return InvalidArgument(fmt::format("malformed {} code \"{}\": {}", CodeSystemName(system), input, why));
}

bool IsCategoryStem(std::string_view s) {
  return s.size() >= 3 && text::IsUpper(s[0]) && text::IsDigit(s[1]) && text::IsDigit(s[2]);
}

// Removes a written dagger or asterisk mark at the end ("†", "+", "*").
DaggerAsterisk StripWrittenMark(std::string* s) {
  static constexpr std::string_view kDagger = "\xE2\x80\xA0";  // U+2020 DAGGER
  if (s->size() >= kDagger.size() && std::string_view(*s).substr(s->size() - kDagger.size()) == kDagger) {
    s->resize(s->size() - kDagger.size());
    return DaggerAsterisk::kDagger;
  }
  if (!s->empty() && s->back() == '+') {
    s->pop_back();
    return DaggerAsterisk::kDagger;
  }
  if (!s->empty() && s->back() == '*') {
    s->pop_back();
    return DaggerAsterisk::kAsterisk;
  }
  return DaggerAsterisk::kNone;
}

Result<NormalisedCode> NormaliseOpcs4(std::string_view input, const std::string& s) {
  constexpr CodeSystem kSys = CodeSystem::kOpcs4;
  if (!IsCategoryStem(s)) return Malformed(kSys, input, "expected a letter and two digits, as in K57.8");
  std::string_view rest = std::string_view(s).substr(3);
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    if (rest.empty()) return Malformed(kSys, input, "a dot must be followed by the fourth character");
  }
  NormalisedCode out;
  out.code = s.substr(0, 3);
  if (rest.empty()) return out;
  if (rest.size() != 1 || !text::IsDigit(rest[0])) {
    return Malformed(kSys, input, "an OPCS-4 code has one digit after the category, as in K57.8");
  }
  out.code.push_back('.');
  out.code.push_back(rest[0]);
  return out;
}

Result<NormalisedCode> NormaliseIcd10(std::string_view input, std::string s) {
  constexpr CodeSystem kSys = CodeSystem::kIcd10;
  NormalisedCode out;
  out.mark = StripWrittenMark(&s);
  if (!IsCategoryStem(s)) return Malformed(kSys, input, "expected a letter and two digits, as in I50.0");
  std::string_view rest = std::string_view(s).substr(3);
  bool dotted = false;
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    dotted = true;
  }
  // A HES mark suffix: D dagger, A asterisk (after a digit or the X filler).
  if (!rest.empty() && (rest.back() == 'A' || rest.back() == 'D') && out.mark == DaggerAsterisk::kNone) {
    out.mark = rest.back() == 'D' ? DaggerAsterisk::kDagger : DaggerAsterisk::kAsterisk;
    rest.remove_suffix(1);
    if (rest.empty()) return Malformed(kSys, input, "a dagger or asterisk suffix must follow the fourth character");
  }
  out.code = s.substr(0, 3);
  if (rest == "X") {
    if (dotted) return Malformed(kSys, input, "the X filler is written without a dot, as in C61X");
    out.padded = true;
    return out;
  }
  if (rest.empty()) {
    if (dotted) return Malformed(kSys, input, "a dot must be followed by the fourth character");
    return out;
  }
  if (rest.size() > 2 || !text::IsDigit(rest[0]) || (rest.size() == 2 && !text::IsDigit(rest[1]))) {
    return Malformed(kSys, input, "expected one or two digits after the category, as in I50.0 or M80.05");
  }
  out.code.push_back('.');
  out.code.append(rest);
  return out;
}

Result<NormalisedCode> NormaliseIcd10Cm(std::string_view input, const std::string& s) {
  constexpr CodeSystem kSys = CodeSystem::kIcd10Cm;
  if (s.size() < 3 || !text::IsUpper(s[0]) || !text::IsDigit(s[1]) || !text::IsAlnum(s[2])) {
    return Malformed(kSys, input, "expected a letter, a digit and a letter or digit, as in S00 or C4A");
  }
  std::string_view rest = std::string_view(s).substr(3);
  if (!rest.empty() && rest[0] == '.') {
    rest.remove_prefix(1);
    if (rest.empty()) return Malformed(kSys, input, "a dot must be followed by more characters");
  }
  if (rest.size() > 4) return Malformed(kSys, input, "an ICD-10-CM code has at most seven characters");
  for (char c : rest) {
    if (!text::IsAlnum(c)) return Malformed(kSys, input, "only letters and digits may follow the dot");
  }
  NormalisedCode out;
  out.code = s.substr(0, 3);
  if (!rest.empty()) {
    out.code.push_back('.');
    out.code.append(rest);
  }
  return out;
}

Result<NormalisedCode> NormaliseCpt(std::string_view input, const std::string& s) {
  bool ok = s.size() == 5 && text::IsDigit(s[0]) && text::IsDigit(s[1]) && text::IsDigit(s[2]) &&
            text::IsDigit(s[3]) && (text::IsDigit(s[4]) || s[4] == 'F' || s[4] == 'T' || s[4] == 'U');
  if (!ok) return Malformed(CodeSystem::kCpt, input, "expected five digits, or four digits and F, T or U");
  return NormalisedCode{s, DaggerAsterisk::kNone, false};
}

Result<NormalisedCode> NormaliseSnomed(std::string_view input, const std::string& s) {
  bool ok = s.size() >= 6 && s.size() <= 18 && s[0] != '0';
  for (char c : s) ok = ok && text::IsDigit(c);
  if (!ok) return Malformed(CodeSystem::kSnomedCt, input, "a SNOMED CT identifier is 6 to 18 digits");
  return NormalisedCode{s, DaggerAsterisk::kNone, false};
}

}  // namespace

Result<NormalisedCode> NormaliseCode(CodeSystem system, std::string_view input) {
  std::string_view trimmed = text::Trim(input);
  if (trimmed.empty()) return InvalidArgument(fmt::format("empty {} code", CodeSystemName(system)));
  if (trimmed.size() > 24) return Malformed(system, input.substr(0, 24), "too long to be a code");
  for (char c : trimmed) {
    if (text::IsSpace(c)) return Malformed(system, input, "a code has no spaces inside");
  }
  std::string s = text::ToUpperAscii(trimmed);
  switch (system) {
    case CodeSystem::kOpcs4: return NormaliseOpcs4(input, s);
    case CodeSystem::kIcd10: return NormaliseIcd10(input, std::move(s));
    case CodeSystem::kIcd10Cm: return NormaliseIcd10Cm(input, s);
    case CodeSystem::kCpt: return NormaliseCpt(input, s);
    case CodeSystem::kSnomedCt: return NormaliseSnomed(input, s);
  }
  return Malformed(system, input, "unknown system");
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

}  // namespace clincode
