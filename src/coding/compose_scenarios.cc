// Choosing a recommendation's way of coding (scenario) from a note, and deciding conditions the reader
// could give no fact by the words of the note.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_set>

#include "coding/composer.h"

namespace clincode::coding {
namespace {

bool Listed(const std::vector<std::string>& list, const std::string& w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

// The content words of a text less the condition filler.
Words Meaningful(const ComposeContext& c, std::string_view text) {
  Words out;
  for (auto& w : c.lexicon->normaliser->ContentWords(text)) {
    if (!Listed(c.lexicon->condition_filler, w)) out.push_back(std::move(w));
  }
  return out;
}

// The words of a scenario: its label's and its main codes' titles'.
Words ScenarioWords(const ComposeContext& c, const Scenario& s) {
  Words out = Meaningful(c, s.label);
  for (const Group& g : s.groups) {
    if (g.role != GroupRole::kMain) continue;
    for (std::size_t i = 0; i < g.any_of.size(); ++i) {
      std::string title = i < g.titles.size() ? g.titles[i] : "";
      if (c.opcs4 != nullptr) {
        std::uint32_t id = c.opcs4->Find(g.any_of[i]);
        if (id != Release::kNone) title = c.opcs4->at(id).title;
      }
      for (auto& w : c.lexicon->normaliser->ContentWords(title)) {
        if (!Listed(out, w)) out.push_back(std::move(w));
      }
    }
  }
  return out;
}

// The clauses of the note, each with its words and whether each is negated.
struct Clause {
  std::size_t begin = 0, end = 0;  // token span
};
std::vector<Clause> Clauses(const NoteReading& note) {
  std::vector<Clause> out;
  for (std::size_t i = 0; i < note.tokens.size(); ++i) {
    if (out.empty() || note.tokens[i].clause != note.tokens[out.back().begin].clause) out.push_back({i, i});
    out.back().end = i + 1;
  }
  return out;
}

}  // namespace

const Scenario* ChooseScenario(const ComposeContext& c, const Section& section, std::string* why, Composition* out) {
  const auto& scenarios = section.scenarios;
  std::vector<Words> words;
  for (const Scenario& s : scenarios) words.push_back(ScenarioWords(c, s));
  // Words every scenario has tell none apart.
  auto common = [&](const std::string& w) {
    return std::all_of(words.begin(), words.end(), [&](const Words& ws) { return Listed(ws, w); });
  };
  struct Score {
    bool excluded = false;
    int points = 0;  // 10 for a fact that holds, then one per distinguishing word stated
    std::string because;
  };
  std::vector<Score> scores(scenarios.size());
  // The words of the note stated, not negated, outside clauses that call a part normal.
  std::unordered_set<std::string> treated;
  {
    std::unordered_set<std::uint32_t> normal;
    const auto& tokens = c.note->tokens;
    for (const auto& t : tokens) {
      if (Listed(c.lexicon->site_normal_words, t.word)) normal.insert(t.clause);
    }
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (!c.note->negated[i] && normal.count(tokens[i].clause) == 0) treated.insert(tokens[i].word);
    }
  }
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const Scenario& s = scenarios[i];
    Score& sc = scores[i];
    if (!s.fact.empty()) {
      std::size_t eq = s.fact.find('=');
      const std::string key = s.fact.substr(0, eq);
      const std::string value = eq == std::string::npos ? "" : s.fact.substr(eq + 1);
      Truth t = c.facts->Holds(s.fact);
      if (key == "site" && t == Truth::kUnknown) {
        // A site label: the words of the site stated (all of them), or denied, or called normal ("Larynx
        // clear": examined, not treated).
        Words site = Meaningful(c, value);
        bool all = !site.empty() &&
                   std::all_of(site.begin(), site.end(), [&](const std::string& w) { return treated.count(w) > 0; });
        bool denied = !site.empty() && std::all_of(site.begin(), site.end(), [&](const std::string& w) {
          return c.note_words.count(w) > 0 && treated.count(w) == 0;
        });
        t = all ? Truth::kYes : denied ? Truth::kNo : Truth::kUnknown;
      }
      if (t == Truth::kNo) {
        sc.excluded = true;
        continue;
      }
      if (t == Truth::kYes) {
        const Fact* f = c.facts->Get(key);
        sc.points += 10;
        sc.because = f != nullptr && !f->evidence.empty() ? fmt::format("the note says \"{}\"", f->evidence)
                                                          : fmt::format("the note names {}", value);
      }
    }
    std::string said;
    for (const auto& w : words[i]) {
      if (common(w) || c.affirmed_words.count(w) == 0) continue;
      ++sc.points;
      said += (said.empty() ? "" : ", ") + w;
    }
    if (sc.because.empty() && !said.empty()) sc.because = fmt::format("the note has the words {}", said);
  }
  // The way chosen must beat every other left, pair by pair: a fact that holds beats none; then the share
  // of the words one has and the other lacks that the note states ("PRK" of PRK beats "epithelial" of
  // LASEK); words two ways share ("microwave ablation" of the percutaneous and the laparoscopic ways) tell
  // neither from the other.
  auto beats = [&](std::size_t a, std::size_t b) {
    const bool fa = scores[a].points >= 10, fb = scores[b].points >= 10;
    if (fa != fb) return fa;
    auto share = [&](std::size_t x, std::size_t y) {
      int own = 0, stated = 0;
      for (const auto& w : words[x]) {
        if (Listed(words[y], w)) continue;
        ++own;
        stated += c.affirmed_words.count(w) > 0 ? 1 : 0;
      }
      return std::make_pair(own == 0 ? 0.0 : static_cast<double>(stated) / own, stated);
    };
    return share(a, b) > share(b, a);
  };
  std::size_t best = scenarios.size(), open = 0;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    if (scores[i].excluded) continue;
    ++open;
    bool all = true;
    for (std::size_t j = 0; j < scenarios.size() && all; ++j) {
      if (j != i && !scores[j].excluded) all = beats(i, j);
    }
    if (all) best = i;
  }
  const bool tie = best == scenarios.size() && open > 1;
  if (best == scenarios.size() || tie) {
    std::string labels;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      if (!scores[i].excluded) labels += (labels.empty() ? "\"" : "\", \"") + scenarios[i].label;
    }
    // The facts that choose a way: one key all the ways set ("approach"), else each way's own fact.
    std::vector<std::string> answers;
    for (std::size_t i = 0; i < scenarios.size(); ++i) {
      if (scores[i].excluded || scenarios[i].fact.empty()) continue;
      std::string answer = AnswerFact(scenarios[i].fact);
      std::string key = answer.substr(0, answer.find('='));
      if (std::find(answers.begin(), answers.end(), key) != answers.end()) continue;
      auto same_key = std::find_if(answers.begin(), answers.end(),
                                   [&](const std::string& a) { return a.substr(0, a.find('=')) == key; });
      if (same_key != answers.end()) {
        *same_key = key;  // two values of one fact: ask for the fact
      } else {
        answers.push_back(std::move(answer));
      }
    }
    out->questions.push_back(
        {fmt::format("{} codes the procedure in different ways ({}\"); the note does not say which applies: state it",
                     c.recommendation->id, labels),
         std::move(answers)});
    return nullptr;
  }
  *why = scores[best].because.empty() ? "the other ways of coding do not fit the note" : scores[best].because;
  ScenarioChoice choice{scenarios[best].label, *why, {}};
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    if (i != best) choice.others.push_back(scenarios[i].label);
  }
  out->scenario = std::move(choice);
  out->assumptions.push_back(
      fmt::format("{}: \"{}\" chosen, because {}", c.recommendation->id, scenarios[best].label, *why));
  return &scenarios[best];
}

Truth ConditionByWords(const ComposeContext& c, const std::string& condition, std::string* evidence, bool* empty) {
  const auto& lx = *c.lexicon;
  auto tokens = lx.normaliser->Tokenize(condition);
  // A condition on the approach: the approach fact decides.
  for (const auto& rule : lx.flags) {
    if (rule.value.empty() || rule.all.size() != 1 || rule.all[0].FindAll(tokens).empty()) continue;
    Truth t = c.facts->Holds(rule.name + "=" + rule.value);
    if (t != Truth::kUnknown) {
      if (const Fact* f = c.facts->Get(rule.name)) *evidence = f->evidence;
      *empty = false;
      return t;
    }
  }
  Words want = Meaningful(c, condition);
  *empty = want.empty();
  if (want.empty()) return Truth::kUnknown;
  const std::size_t need = want.size() <= 2 ? 1 : (want.size() + 1) / 2;
  const NoteReading& note = *c.note;
  Truth result = Truth::kUnknown;
  for (const Clause& clause : Clauses(note)) {
    std::set<std::string> said, denied;
    for (std::size_t i = clause.begin; i < clause.end; ++i) {
      if (!Listed(want, note.tokens[i].word)) continue;
      (note.negated[i] ? denied : said).insert(note.tokens[i].word);
    }
    if (said.size() >= need) {
      *evidence = note.Evidence(clause.begin, clause.end);
      return Truth::kYes;
    }
    if (denied.size() >= need && result == Truth::kUnknown) {
      result = Truth::kNo;
      *evidence = note.Evidence(clause.begin, clause.end);
    }
  }
  return result;
}

}  // namespace clincode::coding
