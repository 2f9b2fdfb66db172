#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "clincode/code_pattern.h"
#include "clincode/normalise.h"
#include "coding/composer.h"
#include "coding/diagnosis_titles.h"
#include "util/text.h"

namespace clincode::coding {
namespace {

constexpr std::size_t kNowhere = static_cast<std::size_t>(-1);

std::string Alternatives(const Group& g) {
  std::string out;
  for (const auto& a : g.any_of) out += (out.empty() ? "" : " or ") + a;
  return out;
}

bool Has(const Words& words, const std::string& w) { return std::find(words.begin(), words.end(), w) != words.end(); }

// One statement of a diagnosis line: "Dx: A, B; C." holds "A, B" and "C".
struct Statement {
  std::uint32_t begin = 0, end = 0;       // bytes of the note
  std::vector<Token> tokens;              // its tokens, negated ones left out
  std::unordered_set<std::string> words;  // their words
  std::string text;                       // as written, trimmed
};

std::vector<Statement> Statements(const NoteReading& note) {
  std::vector<Statement> out;
  const std::string& text = note.text;
  for (const auto& [line_begin, line_end] : note.diagnosis_lines) {
    std::uint32_t from = line_begin;
    for (std::uint32_t i = line_begin; i <= line_end; ++i) {
      const bool stop = i == line_end || text[i] == ';' ||
                        (text[i] == '.' && (i + 1 >= line_end || text[i + 1] == ' ' || text[i + 1] == '\n'));
      if (!stop) continue;
      Statement s;
      s.begin = from;
      s.end = i;
      s.text = std::string(text::Trim(std::string_view(text).substr(from, i - from)));
      from = i + 1;
      if (!s.text.empty()) out.push_back(std::move(s));
    }
  }
  std::size_t k = 0;
  for (std::size_t i = 0; i < note.tokens.size() && !out.empty(); ++i) {
    const Token& t = note.tokens[i];
    while (k < out.size() && t.begin >= out[k].end) ++k;
    if (k == out.size()) break;
    if (t.begin < out[k].begin || note.negated[i]) continue;
    out[k].tokens.push_back(t);
    out[k].words.insert(t.word);
  }
  return out;
}

struct Stated {
  std::string code;
  std::string evidence;
  std::size_t statement = kNowhere;  // the statement it was read from, where known
  std::string how;                   // "the diagnosis lexicon", "the words of its title"
  bool used = false;
};

class DiagnosisComposer {
 public:
  DiagnosisComposer(const ComposeContext& c, Composition* out) : c_(c), out_(out), statements_(Statements(*c.note)) {}

  void Run() {
    ReadStated();
    FindByTitles();
    GiveWay();
    const Section* section = c_.recommendation->SectionFor(CodeSystem::kIcd10);
    if (section != nullptr) {
      for (const Group& g : section->groups) FillGroup(g);
    }
    std::stable_sort(stated_.begin(), stated_.end(),
                     [](const Stated& a, const Stated& b) { return a.statement < b.statement; });
    for (auto& s : stated_) {
      if (s.used) continue;
      std::string why = section != nullptr && section->statement
                            ? fmt::format("{}: {}", c_.recommendation->id, *section->statement)
                            : fmt::format("stated in the note ({})", s.how);
      if (section != nullptr && !section->groups.empty()) why += " (beside the diagnoses the recommendation names)";
      Add(s.code, std::move(why), s.evidence);
    }
    if (out_->diagnoses.empty() && section != nullptr && section->statement) {
      out_->questions.push_back(
          {fmt::format("diagnosis not stated: {} State it.", *section->statement), {"diagnosis"}});
    }
    for (const auto& q : pending_questions_) {
      if (out_->diagnoses.empty()) out_->questions.push_back(q);
    }
  }

 private:
  // The diagnoses the lexicon read (the "diagnosis" fact), each placed in its statement by its evidence.
  void ReadStated() {
    const Fact* f = c_.facts->Get("diagnosis");
    if (f == nullptr) return;
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
      Stated s{code, codes.size() == evidence.size() ? evidence[i] : "", kNowhere, "the diagnosis lexicon", false};
      std::size_t at = s.evidence.empty() ? std::string::npos : c_.note->text.find(s.evidence);
      for (std::size_t k = 0; k < statements_.size() && at != std::string::npos; ++k) {
        if (at >= statements_[k].begin && at < statements_[k].end) s.statement = k;
      }
      Push(std::move(s));
    }
  }

  void Push(Stated s) {
    for (const auto& x : stated_) {
      if (x.code == s.code) return;
    }
    stated_.push_back(std::move(s));
  }

  // Codes whose titles a statement of a diagnosis line covers; a title whose words are all another found
  // one's gives way to it ("Breast, unspecified" to "Upper-outer quadrant of breast").
  void FindByTitles() {
    if (c_.diagnosis_titles == nullptr) return;
    const DiagnosisTitles& titles = *c_.diagnosis_titles;
    for (std::size_t k = 0; k < statements_.size(); ++k) {
      auto ids = titles.CoveredBy(statements_[k].words);
      auto words_of = [&](std::uint32_t id) -> const Words& {
        const auto& t = titles.Of(id);
        return t.essential.empty() ? t.alternative : t.essential;
      };
      for (std::uint32_t id : ids) {
        const Words& mine = words_of(id);
        bool wider = std::any_of(ids.begin(), ids.end(), [&](std::uint32_t other) {
          const Words& theirs = words_of(other);
          return other != id && theirs.size() > mine.size() &&
                 std::all_of(mine.begin(), mine.end(), [&](const std::string& w) { return Has(theirs, w); });
        });
        if (wider) continue;
        Push({titles.release().at(id).code, statements_[k].text, k, "the words of its title", false});
      }
    }
  }

  // The standards on what is coded beside what: an unspecified (.9) or other (.8) code, or a category, gives
  // way to another code of its category; signs and symptoms to a diagnosis from another chapter; a primary
  // stated as removed becomes its history code.
  void GiveWay() {
    const auto& lx = *c_.lexicon;
    auto is_symptom = [&](const std::string& code) {
      return std::any_of(lx.symptom_codes.begin(), lx.symptom_codes.end(),
                         [&](const CodePattern& p) { return p.Matches(code); });
    };
    const bool definitive =
        std::any_of(stated_.begin(), stated_.end(), [&](const Stated& s) { return !is_symptom(s.code); });
    // Vague: a category, a .8 or .9 code, or a code whose title says "other" or "unspecified" ("Uterovaginal
    // prolapse, unspecified" is N81.4).
    auto vague = [&](const std::string& code) {
      if (code.size() == 3 || code.ends_with(".9") || code.ends_with(".8")) return true;
      if (c_.icd10 == nullptr) return false;
      std::uint32_t id = c_.icd10->Find(code);
      return id != Release::kNone && ResidualTitle(c_.icd10->at(id).title, lx);
    };
    std::vector<Stated> kept;
    for (const auto& s : stated_) {
      bool gives_way = vague(s.code) && std::any_of(stated_.begin(), stated_.end(), [&](const Stated& o) {
                         return o.code != s.code && o.code.compare(0, 3, s.code, 0, 3) == 0 && !vague(o.code);
                       });
      gives_way = gives_way || (definitive && is_symptom(s.code));
      if (!gives_way) kept.push_back(s);
    }
    stated_ = std::move(kept);
    for (auto& s : stated_) {
      if (s.statement == kNowhere) continue;
      const auto& tokens = statements_[s.statement].tokens;
      bool history =
          !lx.history_cues.empty() && std::all_of(lx.history_cues.begin(), lx.history_cues.end(),
                                                  [&](const PhraseSet& cue) { return !cue.FindAll(tokens).empty(); });
      if (!history) continue;
      for (const auto& [pattern, code] : lx.history_codes) {
        if (!pattern.Matches(s.code)) continue;
        s.how = fmt::format("{} is stated as removed, so it is history", s.code);
        s.code = code;
        break;
      }
    }
  }

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
      out_->questions.push_back({fmt::format("{} is not in the loaded ICD-10 release: check the code", code), {}});
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
      if (!fits || s.used) continue;
      s.used = found = true;
      Add(s.code,
          fmt::format("{} diagnosis ({}): stated in the note ({})", c_.recommendation->id, Alternatives(g), s.how),
          s.evidence);
    }
    if (found) return;
    std::vector<Candidate> cands;
    for (std::size_t i = 0; i < g.any_of.size(); ++i) {
      for (auto& cand :
           ExpandPattern(c_, CodeSystem::kIcd10, g.any_of[i], i < g.titles.size() ? g.titles[i] : "", &storage_)) {
        cands.push_back(std::move(cand));
      }
    }
    if (const Candidate* best = statements_.empty() ? CoveredInClause(cands) : MostlyStated(cands)) {
      Add(best->code,
          fmt::format("{} diagnosis ({}): the note uses the words of its title", c_.recommendation->id,
                      Alternatives(g)),
          "");
      return;
    }
    if (g.required) {
      pending_questions_.push_back({fmt::format("diagnosis not stated in the note: {} expects {}; state it",
                                                c_.recommendation->id, Alternatives(g)),
                                    {"diagnosis"}});
    }
  }

  // A note without diagnosis lines: the candidate all of whose title words stand in one clause, where the
  // note states no diagnosis of its category (a stated code is more specific).
  const Candidate* CoveredInClause(const std::vector<Candidate>& cands) const {
    std::unordered_map<std::uint32_t, std::unordered_set<std::string>> clauses;
    for (const auto& t : c_.note->tokens) clauses[t.clause].insert(t.word);
    const Candidate* best = nullptr;
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
    return best;
  }

  // A note with diagnosis lines: the candidate of the recommendation's group whose title words one statement
  // has, all of a short title and all but one of a longer one, most words first.
  const Candidate* MostlyStated(const std::vector<Candidate>& cands) const {
    // A title the statement has whole beats one it lacks a word of; then more words; then the shorter title.
    const Candidate* best = nullptr;
    std::tuple<bool, std::size_t, int> best_rank{};
    for (const auto& cand : cands) {
      const Words& need = *cand.words;
      if (need.size() < 2) continue;
      for (const auto& st : statements_) {
        std::size_t have =
            std::count_if(need.begin(), need.end(), [&](const std::string& w) { return st.words.count(w) > 0; });
        if (have < need.size() && (need.size() < 3 || have + 1 < need.size())) continue;
        std::tuple<bool, std::size_t, int> rank{have == need.size(), have, -static_cast<int>(need.size())};
        if (best == nullptr || rank > best_rank) {
          best = &cand;
          best_rank = rank;
        }
      }
    }
    return best;
  }

  const ComposeContext& c_;
  Composition* out_;
  std::vector<Statement> statements_;
  std::vector<Stated> stated_;
  std::vector<Question> pending_questions_;
  std::deque<Words> storage_;
};

}  // namespace

void ComposeDiagnoses(const ComposeContext& context, Composition* out) { DiagnosisComposer(context, out).Run(); }

}  // namespace clincode::coding
