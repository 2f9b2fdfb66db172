#include <fmt/format.h>

#include <algorithm>

#include "clincode/code_pattern.h"
#include "coding/composer.h"
#include "util/text.h"

namespace clincode::coding {
namespace {

std::string RoleLabel(GroupRole role) {
  switch (role) {
    case GroupRole::kMain: return "main procedure";
    case GroupRole::kLevelsOfSpine: return "levels of spine, in second place";
    case GroupRole::kMethod: return "method";
    case GroupRole::kDevice: return "device";
    case GroupRole::kSite: return "site";
    case GroupRole::kLaterality: return "laterality, last";
    case GroupRole::kDiagnosis: return "diagnosis";
    case GroupRole::kAdditional: return "additional procedure";
    case GroupRole::kUnknown: break;
  }
  return "group";
}

std::string Alternatives(const Group& g) {
  if (!g.placeholder.empty()) {
    bool says_family = g.family.empty() || g.placeholder.find(g.family) != std::string::npos;
    return says_family ? g.placeholder : g.placeholder + " (" + g.family + ")";
  }
  std::string out;
  for (const auto& a : g.any_of) out += (out.empty() ? "" : " or ") + a;
  return out;
}

bool Has(const Words& words, const std::string& w) { return std::find(words.begin(), words.end(), w) != words.end(); }
bool ContainsAll(const Words& have, const Words& need) {
  return std::all_of(need.begin(), need.end(), [&](const std::string& w) { return Has(have, w); });
}
bool IsUnspecified(const std::string& code) { return code.size() == 5 && code[3] == '.' && code[4] == '9'; }

class ProcedureComposer {
 public:
  ProcedureComposer(const ComposeContext& c, Composition* out) : c_(c), out_(out) {}

  void Run() {
    const Section* section = c_.recommendation->SectionFor(CodeSystem::kOpcs4);
    if (section == nullptr) return;
    for (const Group& g : section->groups) {
      if (!Applies(g)) continue;
      for (auto& item : Fill(g)) out_->procedures.push_back(std::move(item));
    }
  }

 private:
  const std::string& Id() const { return c_.recommendation->id; }

  // Whether a conditional group applies; says why not (assumption) or what to ask (question).
  bool Applies(const Group& g) {
    if (g.required && !g.condition) return true;
    const std::string text = g.condition ? g.condition->text : "it applies";
    const std::string fact = g.condition ? g.condition->fact : "";
    Truth t = fact.empty() ? Truth::kUnknown : c_.facts->Holds(fact);
    const Fact* f = fact.empty() ? nullptr : c_.facts->Get(fact);
    if (t == Truth::kYes) {
      condition_why_ = fmt::format("; condition \"{}\" holds", text);
      condition_evidence_ = f != nullptr ? f->evidence : "";
      return true;
    }
    if (t == Truth::kNo) {
      out_->assumptions.push_back(
          fmt::format("{} not assigned: {} — the note says not{}", Alternatives(g), text,
                      f != nullptr && !f->evidence.empty() ? " (\"" + f->evidence + "\")" : ""));
      return false;
    }
    out_->questions.push_back(fmt::format("{} not assigned: the note does not say whether {}; state it{} to code {}",
                                          Alternatives(g), text, fact.empty() ? "" : " (--fact " + fact + "=yes)",
                                          g.any_of.size() + (g.placeholder.empty() ? 0 : 1) > 1 ? "them" : "it"));
    return false;
  }

  CodedItem Item(const Group& g, const Candidate& cand, std::string how, std::string evidence) {
    std::string why = fmt::format("{} {} ({}){}: {}", Id(), RoleLabel(g.role), Alternatives(g), condition_why_, how);
    if (evidence.empty()) evidence = condition_evidence_;
    return {cand.code, cand.title, std::string(GroupRoleName(g.role)), std::move(why), std::move(evidence)};
  }

  std::vector<CodedItem> Fill(const Group& g) {
    std::vector<CodedItem> items;
    std::vector<Candidate> cands;
    if (!g.placeholder.empty()) {
      if (!g.family.empty()) cands = ExpandPattern(c_, CodeSystem::kOpcs4, g.family, "", &storage_);
    } else {
      for (std::size_t i = 0; i < g.any_of.size(); ++i) {
        for (auto& cand :
             ExpandPattern(c_, CodeSystem::kOpcs4, g.any_of[i], i < g.titles.size() ? g.titles[i] : "", &storage_)) {
          cands.push_back(std::move(cand));
        }
      }
    }
    if (cands.empty()) {
      out_->questions.push_back(fmt::format("{} {} ({}): no code of the loaded release fits; code it by hand", Id(),
                                            RoleLabel(g.role), Alternatives(g)));
      condition_why_.clear();
      return items;
    }
    if (g.role == GroupRole::kLevelsOfSpine) {
      ChooseLevels(g, cands, &items);
    } else if (g.role == GroupRole::kMethod && NamesImageControl(cands)) {
      ChooseImage(g, cands, &items);
    } else if (g.role == GroupRole::kSite && !g.placeholder.empty()) {
      ChooseSites(g, cands, &items);
    } else if (g.role == GroupRole::kLaterality && !g.placeholder.empty()) {
      ChooseLaterality(g, cands, &items);
    } else {
      ChooseByWords(g, cands, &items);
    }
    condition_why_.clear();
    condition_evidence_.clear();
    return items;
  }

  // Whether some candidate's title names a method of image control (the lexicon's modalities): such a
  // group is filled by the method the note states.
  bool NamesImageControl(const std::vector<Candidate>& cands) const {
    for (const auto& cand : cands) {
      for (const auto& m : c_.lexicon->modalities) {
        if (ContainsAll(*cand.words, m.title)) return true;
      }
    }
    return false;
  }

  // The unspecified code (.9) among the candidates of the group's first pattern, else the first candidate.
  const Candidate& Unspecified(const std::vector<Candidate>& cands) {
    for (const auto& cand : cands) {
      if (IsUnspecified(cand.code) && cand.code.compare(0, 3, cands.front().code, 0, 3) == 0) return cand;
    }
    return cands.front();
  }

  void ChooseLevels(const Group& g, const std::vector<Candidate>& cands, std::vector<CodedItem>* items) {
    const Fact* levels = c_.facts->Get("levels");
    if (levels != nullptr) {
      int n = std::atoi(levels->value.c_str());
      const Words* title = nullptr;
      for (const auto& [count, words] : c_.lexicon->level_titles) {
        if (count <= n) title = &words;
      }
      for (const auto& cand : cands) {
        if (title != nullptr && ContainsAll(*cand.words, *title)) {
          items->push_back(
              Item(g, cand, fmt::format("{} level{} of spine stated", n, n == 1 ? "" : "s"), levels->evidence));
          return;
        }
      }
    }
    const Candidate& u = Unspecified(cands);
    items->push_back(Item(g, u, "the levels of spine are not stated", ""));
    out_->questions.push_back(fmt::format(
        "levels of spine not stated: {} used; state the levels (e.g. \"T12 and L1\") to be specific", u.code));
  }

  void ChooseImage(const Group& g, const std::vector<Candidate>& cands, std::vector<CodedItem>* items) {
    const Fact* method = c_.facts->Get("image_method");
    if (method != nullptr) {
      for (auto value : text::Split(method->value, ',')) {
        const Modality* mod = nullptr;
        for (const auto& m : c_.lexicon->modalities) {
          if (m.value == text::Trim(value)) mod = &m;
        }
        const Candidate* best = nullptr;
        for (const auto& cand : cands) {
          if (mod == nullptr || !ContainsAll(*cand.words, mod->title)) continue;
          if (best == nullptr || cand.words->size() < best->words->size()) best = &cand;
        }
        if (best != nullptr) {
          std::string name(text::Trim(value));
          std::replace(name.begin(), name.end(), '_', ' ');
          items->push_back(Item(g, *best, fmt::format("image control by {}", name), method->evidence));
        } else {
          out_->questions.push_back(fmt::format("no code of {} names image control by {}; choose the code by hand",
                                                Alternatives(g), text::Trim(value)));
        }
      }
      if (!items->empty()) return;
    }
    const Candidate& u = Unspecified(cands);
    const Fact* control = c_.facts->Get("image_control");
    items->push_back(Item(g, u, "image control used, its method not stated (fourth character .9)",
                          control != nullptr ? control->evidence : ""));
    out_->assumptions.push_back(fmt::format("method of image control not stated: {}", u.code));
  }

  bool IsNotSite(const std::string& code) const {
    for (const auto& p : c_.lexicon->not_sites) {
      if (p.Matches(code)) return true;
    }
    return false;
  }

  // The most specific candidate all of whose title words are in `words`.
  const Candidate* BestCovered(const std::vector<Candidate>& cands, const Words& words) const {
    const Candidate* best = nullptr;
    for (const auto& cand : cands) {
      if (cand.words->empty() || cand.words->size() > words.size() || !ContainsAll(words, *cand.words) ||
          IsNotSite(cand.code)) {
        continue;
      }
      if (best == nullptr || cand.words->size() > best->words->size()) best = &cand;
    }
    return best;
  }

  void ChooseSites(const Group& g, const std::vector<Candidate>& cands, std::vector<CodedItem>* items) {
    std::vector<std::string> chosen;
    auto add = [&](const Candidate& cand, const std::string& how, const std::string& evidence) {
      if (std::find(chosen.begin(), chosen.end(), cand.code) != chosen.end()) return;
      chosen.push_back(cand.code);
      items->push_back(Item(g, cand, how, evidence));
    };
    for (const auto& site : c_.note->sites) {
      if (const Candidate* best = BestCovered(cands, site.words)) {
        add(*best, fmt::format("site \"{}\"", site.name), site.evidence);
      }
    }
    if (!items->empty()) return;
    // No site the lexicon knows: a site code whose title words all stand in one clause of the note.
    std::unordered_map<std::uint32_t, Words> clauses;
    for (const auto& t : c_.note->tokens) clauses[t.clause].push_back(t.word);
    const Candidate* best = nullptr;
    for (const auto& [clause, words] : clauses) {
      const Candidate* b = BestCovered(cands, words);
      if (b != nullptr && (best == nullptr || b->words->size() > best->words->size())) best = b;
    }
    if (best != nullptr) {
      add(*best, "site named in the note", "");
      return;
    }
    out_->questions.push_back(fmt::format("site not stated: add the site code ({}) for where the procedure was done",
                                          g.family.empty() ? g.placeholder : g.family));
  }

  void ChooseLaterality(const Group& g, const std::vector<Candidate>& cands, std::vector<CodedItem>* items) {
    const Fact* side = c_.facts->Get("laterality");
    if (side != nullptr) {
      for (const auto& value : c_.lexicon->laterality) {
        if (value.value != side->value) continue;
        for (const auto& cand : cands) {
          if (ContainsAll(*cand.words, value.title)) {
            items->push_back(Item(g, cand, fmt::format("{} side stated", side->value), side->evidence));
            return;
          }
        }
      }
    }
    out_->questions.push_back(fmt::format("laterality not stated: add {} (left, right or bilateral) as the last code",
                                          g.family.empty() ? Alternatives(g) : g.family));
  }

  // Alternatives told apart by the words of their titles that the others lack ("augmentation ...
  // intravertebral implant"): most such words in the note wins; with none, the plainest (fewest such words).
  void ChooseByWords(const Group& g, const std::vector<Candidate>& cands, std::vector<CodedItem>* items) {
    if (cands.size() == 1) {
      items->push_back(Item(g, cands.front(), "the recommendation gives this code", ""));
      return;
    }
    Words common = *cands.front().words;
    for (const auto& cand : cands) {
      std::erase_if(common, [&](const std::string& w) { return !Has(*cand.words, w); });
    }
    const Candidate* best = nullptr;
    int best_score = -1, best_missing = 0;
    Words best_matched;
    for (const auto& cand : cands) {
      int score = 0, missing = 0;
      Words matched;
      for (const auto& w : *cand.words) {
        if (Has(common, w)) continue;
        if (c_.note_words.count(w) > 0) {
          ++score;
          matched.push_back(w);
        } else {
          ++missing;
        }
      }
      if (score > best_score || (score == best_score && missing < best_missing)) {
        best = &cand;
        best_score = score;
        best_missing = missing;
        best_matched = matched;
      }
    }
    bool from_category = g.any_of.size() == 1 && g.any_of.front().find('-') != std::string::npos;
    if (best_score == 0 && from_category) {
      const Candidate& u = Unspecified(cands);
      items->push_back(Item(g, u, "the note does not say which code of the category", ""));
      out_->questions.push_back(fmt::format("{} not specific in the note: {} used; state the procedure to be specific",
                                            Alternatives(g), u.code));
      return;
    }
    std::string how, evidence;
    if (best_score > 0) {
      for (const auto& w : best_matched) {
        for (std::size_t i = 0; i < c_.note->tokens.size(); ++i) {
          if (c_.note->tokens[i].word != w) continue;
          std::string e = c_.note->Evidence(i, i + 1);
          if (evidence.find(e) == std::string::npos) evidence += (evidence.empty() ? "" : ", ") + e;
          break;
        }
      }
      how = fmt::format("the note says \"{}\"", evidence.empty() ? "words of its title" : evidence);
    } else {
      std::string others;
      for (const auto& cand : cands) {
        if (&cand != best) others += (others.empty() ? "" : ", ") + cand.code;
      }
      how = fmt::format("the note has none of the words that set {} apart", others);
    }
    items->push_back(Item(g, *best, how, evidence));
  }

  const ComposeContext& c_;
  Composition* out_;
  std::deque<Words> storage_;
  std::string condition_why_, condition_evidence_;
};

}  // namespace

TitleWords::TitleWords(const Catalog& catalog, const Normaliser& normaliser) {
  for (const auto& r : catalog.releases()) {
    CodeSystem s = r->system();
    if (s != CodeSystem::kOpcs4 && s != CodeSystem::kIcd10 && s != CodeSystem::kCpt) continue;
    std::vector<Words>& words = words_[r.get()];
    words.reserve(r->size());
    for (std::uint32_t id = 0; id < r->size(); ++id) words.push_back(normaliser.ContentWords(r->at(id).title));
  }
}

const std::vector<std::uint32_t>& TitleWords::Expansion(const Release& release, const CodePattern& pattern) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(&release, pattern.ToString());
  auto it = expansions_.find(key);
  if (it == expansions_.end()) it = expansions_.emplace(key, pattern.Expand(release)).first;
  return it->second;
}

const Words* TitleWords::Of(const Release& release, std::uint32_t id) const {
  auto it = words_.find(&release);
  return it == words_.end() || id >= it->second.size() ? nullptr : &it->second[id];
}

std::vector<Candidate> ExpandPattern(const ComposeContext& c, CodeSystem system, const std::string& pattern_text,
                                     const std::string& written_title, std::deque<Words>* storage) {
  std::vector<Candidate> out;
  auto pattern = CodePattern::Parse(system, pattern_text);
  if (!pattern.ok()) return out;
  const Release* release = system == CodeSystem::kOpcs4 ? c.opcs4 : system == CodeSystem::kIcd10 ? c.icd10 : c.cpt;
  if (release != nullptr) {
    for (std::uint32_t id : c.titles->Expansion(*release, *pattern)) {
      const CodeEntry& e = release->at(id);
      if (!e.flags.selectable || e.flags.retired) continue;
      const Words* words = c.titles->Of(*release, id);
      if (words != nullptr) out.push_back({e.code, e.title, words});
    }
  }
  if (out.empty() && pattern->kind() == CodePattern::Kind::kExact) {
    storage->push_back(c.lexicon->normaliser->ContentWords(written_title));
    out.push_back({pattern->ToString(), written_title, &storage->back()});
  }
  return out;
}

void ComposeProcedures(const ComposeContext& context, Composition* out) { ProcedureComposer(context, out).Run(); }

void OrderProcedures(const NoteLexicon& lexicon, std::vector<CodedItem>* procedures) {
  auto rank = [&](const CodedItem& item) {
    auto it = std::find(lexicon.order.begin(), lexicon.order.end(), item.role);
    return it == lexicon.order.end() ? lexicon.order.size() : static_cast<std::size_t>(it - lexicon.order.begin());
  };
  std::stable_sort(procedures->begin(), procedures->end(),
                   [&](const CodedItem& a, const CodedItem& b) { return rank(a) < rank(b); });
}

}  // namespace clincode::coding
