#include "clincode/code_pattern.h"

#include <fmt/format.h>

#include <algorithm>

#include "classification/chapters.h"
#include "clincode/normalise.h"
#include "util/text.h"

namespace clincode {
namespace {

// Replaces the dash look-alikes of published texts (en dash, em dash, minus sign, non-breaking hyphen)
// with '-' and typographic quotes with '\''.
std::string PlainPunctuation(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i + 2 < s.size() && s[i] == '\xE2') {
      std::string_view seq = s.substr(i, 3);
      if (seq == "\xE2\x80\x93" || seq == "\xE2\x80\x94" || seq == "\xE2\x88\x92" || seq == "\xE2\x80\x91" ||
          seq == "\xE2\x80\x90") {
        out.push_back('-');
        i += 2;
        continue;
      }
      if (seq == "\xE2\x80\x98" || seq == "\xE2\x80\x99" || seq == "\xE2\x80\x9C" || seq == "\xE2\x80\x9D") {
        out.push_back('\'');
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// Splits a union on " or " (any case) and commas.
std::vector<std::string> SplitUnion(std::string_view s) {
  std::vector<std::string> parts;
  std::string cur;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ',') {
      parts.push_back(cur);
      cur.clear();
      ++i;
      continue;
    }
    if (i + 4 <= s.size() && text::IsSpace(s[i]) && text::EqualsIgnoreCase(s.substr(i + 1, 2), "or") &&
        (i + 3 == s.size() || text::IsSpace(s[i + 3]))) {
      parts.push_back(cur);
      cur.clear();
      i += 3;
      continue;
    }
    cur.push_back(s[i]);
    ++i;
  }
  parts.push_back(cur);
  return parts;
}

bool IsRomanNumeral(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c == 'I' || c == 'V' || c == 'X'; });
}

}  // namespace

Result<CodePattern> CodePattern::Parse(CodeSystem system, std::string_view input) {
  std::string plain = PlainPunctuation(input);
  std::string_view s = text::Trim(plain);
  if (s.empty()) return InvalidArgument(fmt::format("empty {} code pattern", CodeSystemName(system)));
  CodePattern p;
  p.system_ = system;

  std::vector<std::string> parts = SplitUnion(s);
  if (parts.size() > 1) {
    p.kind_ = Kind::kUnion;
    for (const std::string& part : parts) {
      if (text::Trim(part).empty()) {
        return InvalidArgument(
            fmt::format("{} code pattern \"{}\" has an empty alternative", CodeSystemName(system), s));
      }
      auto alt = Parse(system, part);
      if (!alt.ok()) return alt.status();
      p.alternatives_.push_back(std::move(alt).value());
    }
    return p;
  }

  if (text::StartsWithIgnoreCase(s, "chapter")) {
    std::string key;
    for (char c : s.substr(7)) {
      if (c != ' ' && c != '\'' && c != '"') key.push_back(text::ToUpper(c));
    }
    bool ok = (system == CodeSystem::kOpcs4 && key.size() == 1 && text::IsUpper(key[0])) ||
              (system == CodeSystem::kIcd10 && IsRomanNumeral(key));
    if (!ok) return InvalidArgument(fmt::format("unknown {} chapter in \"{}\"", CodeSystemName(system), s));
    p.kind_ = Kind::kChapter;
    p.first_ = key;
    return p;
  }

  // A category wildcard: "Y53.-", "Y53-", "Y53 -", "Y53 .-".
  if (s.back() == '-') {
    std::string_view stem = text::Trim(s.substr(0, s.size() - 1));
    if (!stem.empty() && stem.back() == '.') stem = text::Trim(stem.substr(0, stem.size() - 1));
    auto code = NormaliseCode(system, stem);
    if (!code.ok() || code->code.size() != 3) {
      return InvalidArgument(fmt::format("malformed {} category pattern \"{}\"", CodeSystemName(system), s));
    }
    p.kind_ = Kind::kCategory;
    p.first_ = code->code;
    return p;
  }

  std::size_t dash = s.find('-');
  if (dash != std::string_view::npos) {
    auto lo = NormaliseCode(system, s.substr(0, dash));
    auto hi = NormaliseCode(system, s.substr(dash + 1));
    if (!lo.ok() || !hi.ok() || hi->code < lo->code) {
      return InvalidArgument(fmt::format("malformed {} code range \"{}\"", CodeSystemName(system), s));
    }
    p.kind_ = Kind::kRange;
    p.first_ = lo->code;
    p.last_ = hi->code;
    return p;
  }

  auto code = NormaliseCode(system, s);
  if (!code.ok()) return code.status();
  bool is_category = code->code.size() == 3 &&
                     (system == CodeSystem::kOpcs4 || system == CodeSystem::kIcd10 || system == CodeSystem::kIcd10Cm);
  p.kind_ = is_category ? Kind::kCategory : Kind::kExact;
  p.bare_ = is_category;
  p.first_ = code->code;
  return p;
}

std::string CodePattern::ToString() const {
  switch (kind_) {
    case Kind::kExact: return first_;
    case Kind::kCategory: return bare_ ? first_ : first_ + ".-";
    case Kind::kChapter: return "Chapter " + first_;
    case Kind::kRange: return first_ + "-" + last_;
    case Kind::kUnion: {
      std::string out;
      for (const CodePattern& alt : alternatives_) {
        if (!out.empty()) out += " or ";
        out += alt.ToString();
      }
      return out;
    }
  }
  return first_;
}

namespace {

// Codes are a few bytes long: comparing them byte by byte inline beats a call to memcmp, and the validator
// tests every code of every episode against several patterns.
bool SameBytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

bool CodePattern::Matches(std::string_view code) const {
  switch (kind_) {
    case Kind::kExact: return SameBytes(code, first_);
    case Kind::kCategory:
      return code.size() >= 3 && code[0] == first_[0] && code[1] == first_[1] && code[2] == first_[2] &&
             (code.size() == 3 || code[3] == '.');
    case Kind::kChapter:
      if (code.size() < 3 || code.rfind("Chapter", 0) == 0) return false;
      if (system_ == CodeSystem::kOpcs4) return chapters::Opcs4EffectiveChapter(code) == first_[0];
      if (system_ == CodeSystem::kIcd10) {
        const auto* ch = chapters::Icd10ChapterOf(code);
        return ch != nullptr && ch->numeral == first_;
      }
      return false;
    case Kind::kRange:
      return code.substr(0, std::min(code.size(), first_.size())) >= first_ &&
             code.substr(0, std::min(code.size(), last_.size())) <= last_ && code.find('-') == std::string_view::npos;
    case Kind::kUnion:
      return std::any_of(alternatives_.begin(), alternatives_.end(),
                         [&](const CodePattern& alt) { return alt.Matches(code); });
  }
  return false;
}

void CodePattern::ExpandInto(const Release& release, std::vector<std::uint32_t>* out) const {
  if (kind_ == Kind::kUnion) {
    for (const CodePattern& alt : alternatives_) alt.ExpandInto(release, out);
    return;
  }
  auto codes = release.CodesInOrder();
  auto code_of = [&](std::uint32_t id) -> const std::string& { return release.at(id).code; };
  if (kind_ == Kind::kChapter) {
    // Overflow categories sit outside the chapter's letter range, so a chapter is a filtered scan.
    for (std::uint32_t id : codes) {
      if (Matches(code_of(id))) out->push_back(id);
    }
    return;
  }
  auto it = std::lower_bound(codes.begin(), codes.end(), first_,
                             [&](std::uint32_t id, const std::string& key) { return code_of(id) < key; });
  for (; it != codes.end() && Matches(code_of(*it)); ++it) out->push_back(*it);
}

std::vector<std::uint32_t> CodePattern::Expand(const Release& release) const {
  std::vector<std::uint32_t> out;
  if (release.system() != system_) return out;
  ExpandInto(release, &out);
  if (kind_ == Kind::kUnion) {
    std::sort(out.begin(), out.end(),
              [&](std::uint32_t a, std::uint32_t b) { return release.at(a).code < release.at(b).code; });
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

}  // namespace clincode
