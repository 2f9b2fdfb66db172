#include <fmt/format.h>

#include <algorithm>

#include "clincode/code_pattern.h"
#include "clincode/normalise.h"
#include "coding/composer.h"
#include "util/text.h"

namespace clincode::coding {
namespace {

std::string Alternatives(const Group& g) {
  std::string out;
  for (const auto& a : g.any_of) out += (out.empty() ? "" : " or ") + a;
  return out;
}

struct Stated {
  std::string code;
  std::string evidence;
  bool used = false;
};

// The diagnoses the facts state, canonical, with the words of the note behind each.
std::vector<Stated> StatedDiagnoses(const Facts& facts) {
  std::vector<Stated> out;
  const Fact* f = facts.Get("diagnosis");
  if (f == nullptr) return out;
  auto codes = text::Split(f->value, ',');
  std::vector<std::string> evidence;
  std::string_view rest = f->evidence;
  while (!rest.empty()) {
    std::size_t semi = rest.find("; ");
    evidence.emplace_back(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 2);
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    NormalisedCode n;
    std::string_view written = text::Trim(codes[i]);
    std::string code = TryNormaliseCode(CodeSystem::kIcd10, written, &n) ? n.code : std::string(written);
    out.push_back({code, codes.size() == evidence.size() ? evidence[i] : "", false});
  }
  return out;
}

class DiagnosisComposer {
 public:
  DiagnosisComposer(const ComposeContext& c, Composition* out) : c_(c), out_(out), stated_(StatedDiagnoses(*c.facts)) {}

  void Run() {
    const Section* section = c_.recommendation->SectionFor(CodeSystem::kIcd10);
    if (section != nullptr) {
      for (const Group& g : section->groups) FillGroup(g);
    }
    for (auto& s : stated_) {
      if (s.used) continue;
      std::string why = section != nullptr && section->statement
                            ? fmt::format("{}: {}", c_.recommendation->id, *section->statement)
                            : "stated in the note";
      if (section != nullptr && !section->groups.empty()) why += " (the recommendation names other diagnoses)";
      Add(s.code, std::move(why), s.evidence);
    }
    if (out_->diagnoses.empty() && section != nullptr && section->statement) {
      out_->questions.push_back(
          fmt::format("diagnosis not stated: {} State it (--fact diagnosis=CODE).", *section->statement));
    }
  }

 private:
  void Add(const std::string& code, std::string why, std::string evidence) {
    for (const auto& d : out_->diagnoses) {
      if (d.code == code) return;
    }
    std::string title;
    if (c_.icd10 != nullptr) {
      std::uint32_t id = c_.icd10->Find(code);
      if (id != Release::kNone) title = c_.icd10->at(id).title;
    }
    if (title.empty()) {
      out_->questions.push_back(fmt::format("{} is not in the loaded ICD-10 release: check the code", code));
    }
    out_->diagnoses.push_back({code, title, "diagnosis", std::move(why), std::move(evidence)});
  }

  void FillGroup(const Group& g) {
    std::vector<CodePattern> patterns;
    for (const auto& a : g.any_of) {
      auto p = CodePattern::Parse(CodeSystem::kIcd10, a);
      if (p.ok()) patterns.push_back(*p);
    }
    bool found = false;
    for (auto& s : stated_) {
      bool fits =
          std::any_of(patterns.begin(), patterns.end(), [&](const CodePattern& p) { return p.Matches(s.code); });
      if (!fits) continue;
      s.used = found = true;
      Add(s.code, fmt::format("{} diagnosis ({}): stated in the note", c_.recommendation->id, Alternatives(g)),
          s.evidence);
    }
    if (found) return;
    // The note may state it in the words of the release's title ("heart failure").
    const Candidate* best = nullptr;
    std::vector<Candidate> cands;
    for (std::size_t i = 0; i < g.any_of.size(); ++i) {
      for (auto& cand :
           ExpandPattern(c_, CodeSystem::kIcd10, g.any_of[i], i < g.titles.size() ? g.titles[i] : "", &storage_)) {
        cands.push_back(std::move(cand));
      }
    }
    // Only where the note states no diagnosis of the candidate's category (a stated code is more specific),
    // and with every word of the title in one clause.
    std::unordered_map<std::uint32_t, std::unordered_set<std::string>> clauses;
    for (const auto& t : c_.note->tokens) clauses[t.clause].insert(t.word);
    for (const auto& cand : cands) {
      bool stated_category = std::any_of(stated_.begin(), stated_.end(),
                                         [&](const Stated& s) { return s.code.compare(0, 3, cand.code, 0, 3) == 0; });
      if (stated_category || cand.words->empty()) continue;
      bool covered = std::any_of(clauses.begin(), clauses.end(), [&](const auto& clause) {
        return std::all_of(cand.words->begin(), cand.words->end(),
                           [&](const std::string& w) { return clause.second.count(w) > 0; });
      });
      if (covered && (best == nullptr || cand.words->size() > best->words->size())) best = &cand;
    }
    if (best != nullptr) {
      Add(best->code,
          fmt::format("{} diagnosis ({}): the note uses the words of its title", c_.recommendation->id,
                      Alternatives(g)),
          "");
      return;
    }
    if (g.required) {
      out_->questions.push_back(
          fmt::format("diagnosis not stated in the note: {} expects {}; state it (--fact diagnosis=CODE)",
                      c_.recommendation->id, Alternatives(g)));
    }
  }

  const ComposeContext& c_;
  Composition* out_;
  std::vector<Stated> stated_;
  std::deque<Words> storage_;
};

}  // namespace

void ComposeDiagnoses(const ComposeContext& context, Composition* out) { DiagnosisComposer(context, out).Run(); }

}  // namespace clincode::coding
