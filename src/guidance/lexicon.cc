#include "guidance/lexicon.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "classification/embedded.h"
#include "util/text.h"

namespace clincode::guidance {
namespace {

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node) return out;
  for (const auto& n : node) out.push_back(Lower(n.as<std::string>()));
  return out;
}

CodeSystem SystemNamed(const std::string& name) {
  auto s = ParseCodeSystem(name);
  return s.ok() ? *s : CodeSystem::kOpcs4;
}

// The lexicon files are part of the build and covered by tests; a malformed one is a build defect.
[[noreturn]] void Broken(const std::string& what) {
  fmt::print(stderr, "clincode: built-in knowledge file is malformed: {}\n", what);
  std::abort();
}

void ReadReader(const YAML::Node& y, Lexicon* lx) {
  for (const auto& n : y["guidance_ids"]) lx->guidance_ids.push_back(n.as<std::string>());
  for (const auto& n : y["family_ids"]) lx->family_ids.push_back(n.as<std::string>());
  lx->procedure_headings = Strings(y["headings"]["procedure"]);
  lx->diagnosis_headings = Strings(y["headings"]["diagnosis"]);
  for (const auto& h : y["headings"]["classifications"]) {
    lx->classification_headings.push_back({SystemNamed(h["system"].as<std::string>()), Strings(h["starts"])});
  }
  lx->related = Strings(y["related"]);
  lx->boilerplate_starts = Strings(y["boilerplate"]["starts"]);
  lx->boilerplate_contains = Strings(y["boilerplate"]["contains"]);
  lx->tail_headings = Strings(y["tail_headings"]);
  lx->or_words = Strings(y["connectors"]["or"]);
  lx->plus_words = Strings(y["connectors"]["plus"]);
  lx->additional_markers = Strings(y["additional_markers"]);
  lx->one_of_markers = Strings(y["one_of_markers"]);
  lx->assignment_phrases = Strings(y["assignment_phrases"]);
  lx->statement_all = Strings(y["statement_markers"]["needs_all"]);
  lx->statement_any = Strings(y["statement_markers"]["needs_any"]);
  lx->condition_opens = Strings(y["conditions"]["opens"]);
  lx->condition_clauses = Strings(y["conditions"]["clauses"]);
  lx->generic_conditions = Strings(y["conditions"]["generic"]);
  lx->choice_words = Strings(y["conditions"]["choice_words"]);
  lx->code_conditions = Strings(y["conditions"]["with_code"]);
  for (const auto& f : y["conditions"]["facts"]) {
    lx->facts.push_back({f["fact"].as<std::string>(), Strings(f["phrases"])});
  }
  for (const auto& p : y["placeholders"]) {
    auto role = ParseGroupRole(p["role"].as<std::string>());
    if (!role) Broken("placeholder role " + p["role"].as<std::string>());
    lx->placeholders.push_back({Strings(p["phrases"]), *role, p["family"].as<std::string>()});
  }
  for (const auto& r : y["roles"]) {
    auto pattern = CodePattern::Parse(CodeSystem::kOpcs4, r["pattern"].as<std::string>());
    auto role = ParseGroupRole(r["role"].as<std::string>());
    if (!pattern.ok() || !role) Broken("role " + r["pattern"].as<std::string>());
    lx->roles.push_back({*pattern, *role, r["fact"] ? r["fact"].as<std::string>() : "",
                         r["implies"] ? r["implies"].as<std::string>() : ""});
  }
  lx->cpt_subject = Strings(y["cpt_page"]["subject"]);
  lx->cpt_whole = Strings(y["cpt_page"]["whole"]);
  lx->cpt_part = Strings(y["cpt_page"]["part"]);
  lx->coding_headings = Strings(y["coding_headings"]);
  for (const auto& w : y["system_words"]) {
    lx->system_words.push_back({SystemNamed(w["system"].as<std::string>()), Strings(w["words"])});
  }
  lx->diagnosis_words = Strings(y["title_words"]["diagnosis"]);
  lx->procedure_words = Strings(y["title_words"]["procedure"]);
  lx->diagnosis_endings = Strings(y["title_words"]["diagnosis_endings"]);
  lx->procedure_endings = Strings(y["title_words"]["procedure_endings"]);
  lx->diagnosis_word_set.insert(lx->diagnosis_words.begin(), lx->diagnosis_words.end());
  lx->procedure_word_set.insert(lx->procedure_words.begin(), lx->procedure_words.end());
  lx->label_max_words = y["scenario_labels"]["max_words"].as<std::size_t>();
  lx->label_not_words = Strings(y["scenario_labels"]["not_words"]);
  for (const auto& f : y["scenario_labels"]["facts"]) {
    lx->scenario_facts.push_back({f["fact"].as<std::string>(), Strings(f["phrases"])});
  }
  lx->scenario_site_prefixes = Strings(y["scenario_labels"]["site_prefixes"]);
  lx->exclusions = Strings(y["exclusions"]);
  lx->cannot_capture = Strings(y["cannot_capture"]);
  lx->one_or_more_markers = Strings(y["one_or_more_markers"]);
  lx->follows_chapter = Strings(y["follows_chapter"]);
  lx->optional_markers = Strings(y["optional_markers"]);
}

Lexicon Read() {
  Lexicon lx;
  try {
    ReadReader(YAML::Load(std::string(embedded::Find("knowledge/reader/lexicon.yaml"))), &lx);
    YAML::Node s = YAML::Load(std::string(embedded::Find("knowledge/standards.yaml")));
    for (const auto& n : s["standards"]) {
      lx.standards.push_back({n["id"].as<std::string>(), n["nhs_id"].IsNull() ? "" : n["nhs_id"].as<std::string>(),
                              n["title"].as<std::string>(), n["summary"].as<std::string>(), Strings(n["match"]["all"]),
                              Strings(n["match"]["any"])});
    }
  } catch (const YAML::Exception& e) {
    Broken(e.what());
  }
  return lx;
}

}  // namespace

std::string Lower(std::string_view s) { return text::ToLowerAscii(s); }

bool ContainsAny(std::string_view lower_text, const std::vector<std::string>& phrases) {
  for (const auto& p : phrases) {
    if (lower_text.find(p) != std::string_view::npos) return true;
  }
  return false;
}

bool StartsWithAny(std::string_view lower_text, const std::vector<std::string>& phrases) {
  for (const auto& p : phrases) {
    if (lower_text.substr(0, p.size()) == p) return true;
  }
  return false;
}

const Lexicon& GetLexicon() {
  static const Lexicon lexicon = Read();
  return lexicon;
}

std::string Lexicon::CodeOfCondition(std::string_view condition) const {
  std::string lower = Lower(text::Trim(condition));
  for (const auto& w : code_conditions) {
    if (lower.size() <= w.size() + 1 || lower.compare(0, w.size(), w) != 0 || lower[w.size()] != ' ') continue;
    auto code = CodePattern::Parse(CodeSystem::kOpcs4, text::Trim(condition.substr(w.size() + 1)));
    if (code.ok()) return code->ToString();
  }
  return {};
}

std::string Lexicon::FactOf(std::string_view condition, std::string_view role_fact) const {
  if (std::string code = CodeOfCondition(condition); !code.empty()) return "code=" + code;
  std::string lower = " " + Lower(condition) + " ";
  for (const auto& f : facts) {
    if (ContainsAny(lower, f.phrases)) return f.fact;
  }
  if (ContainsAny(lower, generic_conditions)) return std::string(role_fact);
  return {};
}

char Lexicon::ChapterLetterAt(std::string_view lower, std::size_t at) {
  // Quotes as written: ' " and the UTF-8 bytes of curly ones.
  while (at < lower.size() &&
         (lower[at] == ' ' || lower[at] == '\'' || lower[at] == '"' || static_cast<unsigned char>(lower[at]) >= 0x80)) {
    ++at;
  }
  if (at >= lower.size() || !text::IsAlpha(lower[at]) || (at + 1 < lower.size() && text::IsAlpha(lower[at + 1])))
    return 0;
  return text::ToUpper(lower[at]);
}

const PlaceholderRule* Lexicon::PlaceholderOf(std::string_view line) const {
  std::string lower = Lower(line);
  for (const auto& p : placeholders) {
    if (ContainsAny(lower, p.phrases)) return &p;
  }
  return nullptr;
}

const RoleRule* Lexicon::RoleOf(CodeSystem system, std::string_view pattern_text) const {
  if (system != CodeSystem::kOpcs4) return nullptr;
  auto pattern = CodePattern::Parse(system, pattern_text);
  if (!pattern.ok()) return nullptr;
  // A pattern's first code stands for it: "Y53.-" -> "Y53", "Chapter Z" -> its letter.
  std::string probe = pattern->ToString();
  if (pattern->kind() == CodePattern::Kind::kUnion) probe = pattern->alternatives().front().ToString();
  if (probe.rfind("Chapter ", 0) == 0) probe = probe.substr(8) + "99";
  if (probe.size() > 3 && probe.substr(3, 2) == ".-") probe = probe.substr(0, 3);
  std::size_t dash = probe.find('-');
  if (dash != std::string::npos) probe = probe.substr(0, dash);
  for (const auto& r : roles) {
    if (r.pattern.Matches(probe)) return &r;
  }
  return nullptr;
}

std::vector<std::string> Lexicon::StandardsOf(std::string_view note) const {
  std::string lower = Lower(note);
  std::vector<std::string> out;
  for (const auto& s : standards) {
    bool all = true;
    for (const auto& a : s.all) all = all && lower.find(a) != std::string::npos;
    if (all && (s.any.empty() || ContainsAny(lower, s.any))) out.push_back(s.id);
  }
  return out;
}

bool Lexicon::IsBoilerplate(std::string_view line) const {
  std::string lower = Lower(text::Trim(line));
  return StartsWithAny(lower, boilerplate_starts) || ContainsAny(lower, boilerplate_contains);
}

std::string Lexicon::ScenarioFactOf(std::string_view label) const {
  std::string lower = Lower(label);
  for (const auto& f : scenario_facts) {
    if (ContainsAny(lower, f.phrases)) return f.fact;
  }
  // "When performed on the larynx" -> site=larynx.
  for (const auto& prefix : scenario_site_prefixes) {
    if (lower.compare(0, prefix.size(), prefix) == 0 && lower.size() > prefix.size()) {
      return "site=" + std::string(text::Trim(std::string_view(lower).substr(prefix.size())));
    }
  }
  return {};
}

bool Lexicon::IsTailHeading(std::string_view line) const {
  return StartsWithAny(Lower(text::Trim(line)), tail_headings);
}

}  // namespace clincode::guidance
