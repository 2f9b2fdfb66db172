#include "coding/match_grade.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "classification/embedded.h"
#include "coding/group_patterns.h"
#include "util/text.h"

namespace clincode {

std::string_view MatchGradeName(MatchGrade grade) {
  switch (grade) {
    case MatchGrade::kCertain: return "certain";
    case MatchGrade::kLikely: return "likely";
    case MatchGrade::kPossible: break;
  }
  return "possible";
}

namespace coding {
namespace {

// knowledge/coding/match_grade.yaml, read once.
struct GradeKnowledge {
  std::string generic_fourth;
  std::vector<std::string> generic_words;  // folded
  std::size_t shared_by = 2;
  std::vector<GroupRole> distinguishing;
};

const GradeKnowledge& Knowledge() {
  static const GradeKnowledge k = [] {
    GradeKnowledge g;
    YAML::Node y = YAML::Load(std::string(embedded::Find("knowledge/coding/match_grade.yaml")));
    for (const auto& c : y["generic_fourth_characters"]) g.generic_fourth += c.as<std::string>();
    for (const auto& w : y["generic_title_words"]) g.generic_words.push_back(text::Folded(w.as<std::string>()));
    g.shared_by = y["shared_by"].as<std::size_t>();
    for (const auto& r : y["distinguishing_roles"]) {
      if (auto role = ParseGroupRole(r.as<std::string>())) g.distinguishing.push_back(*role);
    }
    return g;
  }();
  return k;
}

// Whether `folded` holds `word` (folded) as whole words.
bool HasWords(const std::string& folded, const std::string& word) {
  for (std::size_t at = folded.find(word); at != std::string::npos; at = folded.find(word, at + 1)) {
    bool starts = at == 0 || !text::IsAlnum(folded[at - 1]);
    std::size_t end = at + word.size();
    bool ends = end == folded.size() || !text::IsAlnum(folded[end]);
    if (starts && ends) return true;
  }
  return false;
}

bool GenericTitle(const std::string& title) {
  const std::string folded = text::Folded(title);
  for (const auto& w : Knowledge().generic_words) {
    if (HasWords(folded, w)) return true;
  }
  return false;
}

std::vector<CodePattern> MainPatterns(const Recommendation& rec) {
  std::vector<CodePattern> out;
  const Section* opcs = rec.SectionFor(CodeSystem::kOpcs4);
  if (opcs == nullptr) return out;
  for (const WayOfCoding& way : WaysOfCoding(*opcs)) {
    if (way.groups.empty() || way.groups.front()->role != GroupRole::kMain) continue;
    for (auto& p : CompilePatterns(CodeSystem::kOpcs4, way.groups.front()->any_of)) out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

MatchGrader::MatchGrader(const Recommendation& recommendation, const std::vector<const Group*>& groups,
                         const GuidanceLibrary& library) {
  const GradeKnowledge& k = Knowledge();
  if (!groups.empty()) {
    const Group& main = *groups.front();
    for (std::size_t i = 0; i < main.any_of.size(); ++i) {
      auto p = CodePattern::Parse(CodeSystem::kOpcs4, main.any_of[i]);
      if (!p.ok()) continue;
      bool generic = i < main.titles.size() && GenericTitle(main.titles[i]);
      main_.push_back({*p, generic});
    }
  }
  for (const Recommendation& other : library.all()) {
    if (other.id == recommendation.id) continue;
    auto patterns = MainPatterns(other);
    if (!patterns.empty()) others_.push_back(std::move(patterns));
  }
  for (std::size_t i = 1; i < groups.size(); ++i) {
    const Group& g = *groups[i];
    if (g.any_of.empty() ||
        std::find(k.distinguishing.begin(), k.distinguishing.end(), g.role) == k.distinguishing.end())
      continue;
    auto patterns = CompilePatterns(CodeSystem::kOpcs4, g.any_of);
    if (patterns.empty()) continue;
    std::string alternatives;
    for (const auto& a : g.any_of) alternatives += (alternatives.empty() ? "" : " or ") + a;
    distinguishing_ +=
        fmt::format("{}{} ({})", distinguishing_.empty() ? "" : ", ", alternatives, GroupRoleName(g.role));
    distinguishing_groups_.push_back({std::move(patterns), g.required});
  }
}

const EpisodeCode* MatchGrader::MainCode(const Episode& episode, const Main** which) const {
  for (const EpisodeCode& c : episode.procedures) {
    if (c.code.empty()) continue;
    for (const Main& m : main_) {
      if (m.pattern.Matches(c.code)) {
        *which = &m;
        return &c;
      }
    }
  }
  return nullptr;
}

bool MatchGrader::Specific(const EpisodeCode& code, const Main& main, std::string* why) const {
  const std::string& c = code.code;
  // Canonical OPCS-4 codes are "K57.8": the fourth character is after the dot.
  if (c.size() >= 5 && Knowledge().generic_fourth.find(c[4]) != std::string::npos) {
    if (why) *why = fmt::format("{} is an {} code", code.written, c[4] == '9' ? "unspecified" : "other specified");
    return false;
  }
  if (main.generic_title) {
    if (why) *why = fmt::format("{} is a code for procedures not elsewhere classified", code.written);
    return false;
  }
  std::size_t sharing = 1;
  for (const auto& other : others_) {
    if (std::any_of(other.begin(), other.end(), [&](const CodePattern& p) { return p.Matches(c); })) ++sharing;
  }
  if (sharing < Knowledge().shared_by) return true;
  if (why) *why = fmt::format("{} is the main code of {} recommendations", code.written, sharing);
  return false;
}

std::string MatchGrader::WhyNotSpecific(const Episode& episode) const {
  const Main* which = nullptr;
  const EpisodeCode* code = MainCode(episode, &which);
  std::string why;
  if (code != nullptr) Specific(*code, *which, &why);
  return why;
}

MatchGrade MatchGrader::Of(const Episode& episode) const {
  const Main* which = nullptr;
  const EpisodeCode* code = MainCode(episode, &which);
  if (code == nullptr || Specific(*code, *which, nullptr)) return MatchGrade::kCertain;
  // Any distinguishing code is evidence; every required one (a conditional site may rightly be absent)
  // makes the match certain.
  bool any = false, all = true;
  for (const auto& g : distinguishing_groups_) {
    const bool coded = AnyMatches(g.patterns, episode.procedures);
    any = any || coded;
    all = all && (coded || !g.required);
  }
  if (!any) return MatchGrade::kPossible;
  return all ? MatchGrade::kCertain : MatchGrade::kLikely;
}

}  // namespace coding
}  // namespace clincode
