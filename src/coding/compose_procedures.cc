#include <fmt/format.h>

#include <algorithm>
#include <map>

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
// The range of weeks a title states: "Over 20 weeks ...", "From 14 weeks to 20 weeks ...", "From 9 weeks to
// < 14 weeks ...", "Under 9 weeks ...". English range words, not clinical knowledge.
struct WeekRange {
  double low = 0, high = 1e9;
  bool low_open = false, high_open = false;
  bool Contains(double x) const { return (low_open ? x > low : x >= low) && (high_open ? x < high : x <= high); }
};
bool ReadWeekRange(std::string_view title, WeekRange* r) {
  std::vector<std::string> words;
  std::string w;
  for (char ch : title) {
    if (std::isalnum(static_cast<unsigned char>(ch)) || ch == '<' || ch == '>') {
      w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
    } else if (!w.empty()) {
      words.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) words.push_back(std::move(w));
  bool any = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (words[i].empty() || !std::all_of(words[i].begin(), words[i].end(), [](char ch) { return std::isdigit(ch); }))
      continue;
    const double n = std::atof(words[i].c_str());
    const std::string before = i > 0 ? words[i - 1] : "", before2 = i > 1 ? words[i - 2] : "";
    if (before == "over" || before == ">" || (before == "than" && (before2 == "more" || before2 == "greater"))) {
      r->low = n, r->low_open = true;
    } else if (before == "under" || (before == "than" && before2 == "less")) {
      r->high = n, r->high_open = true;
    } else if (before == "from") {
      r->low = n;
    } else if (before == "to" || (before == "<" && before2 == "to")) {
      r->high = n, r->high_open = before == "<";
    } else {
      continue;
    }
    any = true;
  }
  return any;
}

bool IsUnspecified(const std::string& code) { return code.size() == 5 && code[3] == '.' && code[4] == '9'; }

class ProcedureComposer {
 public:
  ProcedureComposer(const ComposeContext& c, Composition* out) : c_(c), out_(out) {}

  void Run() {
    const Section* section = c_.recommendation->SectionFor(CodeSystem::kOpcs4);
    if (section == nullptr) return;
    // The chosen way's groups come first when they hold the main procedure (its own method codes follow it,
    // "J03.2 Y13.7"); the section's groups, which apply in every way, after them.
    std::vector<const Group*> plan;
    if (!section->scenarios.empty()) {
      if (const Scenario* s = ChooseScenario(c_, *section, &scenario_why_, out_)) {
        scenario_ = s;
        for (const Group& g : s->groups) plan.push_back(&g);
      }
    }
    const bool scenario_main =
        std::any_of(plan.begin(), plan.end(), [](const Group* g) { return g->role == GroupRole::kMain; });
    auto at = scenario_main ? plan.end() : plan.begin();
    std::vector<const Group*> common;
    for (const Group& g : section->groups) common.push_back(&g);
    plan.insert(at, common.begin(), common.end());
    bool image_coded = false, image_group = false, laterality_group = false;
    for (const Group* g : plan) {
      const bool image = IsImageGroup(*g);
      image_group = image_group || image;
      laterality_group = laterality_group || g->role == GroupRole::kLaterality;
      // The recommendation's image-control groups are one choice: the method the note states.
      if (image && image_coded) continue;
      if (!Applies(*g)) continue;
      auto items = Fill(*g);
      image_coded = image_coded || (image && !items.empty());
      for (auto& item : items) out_->procedures.push_back(std::move(item));
    }
    if (!image_group) ImageControlStandard();
    if (!laterality_group) LateralityStandard();
  }

 private:
  const std::string& Id() const { return c_.recommendation->id; }

  // A group of the image-control category (Y53).
  bool IsImageGroup(const Group& g) const {
    const std::string& cat = c_.lexicon->image_category;
    return g.role == GroupRole::kMethod &&
           std::any_of(g.any_of.begin(), g.any_of.end(), [&](const std::string& p) { return p.starts_with(cat); });
  }

  // Whether a conditional group applies; says why not (assumption) or what to ask (question).
  bool Applies(const Group& g) {
    if (g.required && !g.condition) return true;
    if (!g.condition) {
      out_->assumptions.push_back(
          fmt::format("{} not assigned: the recommendation makes it optional; add it if wanted", Alternatives(g)));
      return false;
    }
    const std::string text = g.condition ? g.condition->text : "it applies";
    const std::string fact = g.condition ? g.condition->fact : "";
    Truth t = Truth::kUnknown;
    std::string evidence;
    bool wordless = fact.empty();
    if (fact.starts_with("code=")) {
      // "(with W83.3)": the group applies when that code (or a code of that pattern) was chosen before it.
      auto pattern = CodePattern::Parse(CodeSystem::kOpcs4, fact.substr(5));
      const bool coded =
          pattern.ok() && std::any_of(out_->procedures.begin(), out_->procedures.end(),
                                      [&](const CodedItem& item) { return pattern->Matches(item.code); });
      t = coded ? Truth::kYes : Truth::kNo;
      evidence = coded ? fact.substr(5) + " is coded" : fact.substr(5) + " is not coded";
    } else if (!fact.empty()) {
      t = c_.facts->Holds(fact);
      if (const Fact* f = c_.facts->Get(fact)) evidence = f->evidence;
    } else if (g.condition) {
      t = ConditionByWords(c_, text, &evidence, &wordless);
    }
    auto record = [&](const char* state) { out_->conditions.push_back({Alternatives(g), text, state, evidence}); };
    if (t == Truth::kUnknown && wordless) {
      // "if applicable", "where this information is available": the note decides by what the codes need.
      if (IsGestationGroup(g)) {
        const Fact* weeks = c_.facts->Get("gestation_weeks");
        if (weeks != nullptr) evidence = weeks->evidence;
        record(weeks != nullptr ? "met" : "unknown");
        return true;
      }
      if (NoteNamesOne(g)) {
        record("met");
        condition_why_ = fmt::format("; \"{}\": the note names it", text);
        return true;
      }
      record("unmet");
      out_->assumptions.push_back(
          fmt::format("{} not assigned: {} — the note names none of its codes", Alternatives(g), text));
      return false;
    }
    if (t == Truth::kYes) {
      record("met");
      condition_why_ = fmt::format("; condition \"{}\" holds", text);
      condition_evidence_ = evidence;
      return true;
    }
    if (t == Truth::kNo) {
      record("unmet");
      out_->assumptions.push_back(fmt::format("{} not assigned: {} — the note says not{}", Alternatives(g), text,
                                              !evidence.empty() ? " (\"" + evidence + "\")" : ""));
      return false;
    }
    record("unknown");
    std::vector<std::string> answers;
    if (!fact.empty()) answers.push_back(AnswerFact(fact));
    // "whether image control is used", not "whether if image control is used".
    std::string_view whether = text;
    for (std::string_view lead : {"if ", "If ", "when ", "When ", "where ", "Where "}) {
      if (whether.starts_with(lead)) whether.remove_prefix(lead.size());
    }
    out_->questions.push_back(
        {fmt::format("{} not assigned: the note does not say whether {}; state it to code {}", Alternatives(g), whether,
                     g.any_of.size() + (g.placeholder.empty() ? 0 : 1) > 1 ? "them" : "it"),
         std::move(answers)});
    return false;
  }

  // Whether the note has a word that sets one of the group's codes apart from the others of its category.
  bool NoteNamesOne(const Group& g) {
    std::vector<Candidate> cands;
    for (const auto& p : g.any_of) {
      for (auto& cand : ExpandPattern(c_, CodeSystem::kOpcs4, p, "", &storage_)) cands.push_back(std::move(cand));
    }
    if (cands.empty()) return false;
    Words common = *cands.front().words;
    for (const auto& cand : cands) std::erase_if(common, [&](const std::string& w) { return !Has(*cand.words, w); });
    for (const auto& cand : cands) {
      for (const auto& w : *cand.words) {
        if (!Has(common, w) && c_.affirmed_words.count(w) > 0) return true;
      }
    }
    return false;
  }

  CodedItem Item(const Group& g, const Candidate& cand, std::string how, std::string evidence) {
    std::string scenario;
    if (scenario_ != nullptr && &g >= scenario_->groups.data() &&
        &g < scenario_->groups.data() + scenario_->groups.size())
      scenario = fmt::format(" of \"{}\" ({})", scenario_->label, scenario_why_);
    std::string why =
        fmt::format("{} {} ({}){}{}: {}", Id(), RoleLabel(g.role), Alternatives(g), scenario, condition_why_, how);
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
      out_->questions.push_back({fmt::format("{} {} ({}): no code of the loaded release fits; code it by hand", Id(),
                                             RoleLabel(g.role), Alternatives(g)),
                                 {}});
      condition_why_.clear();
      return items;
    }
    if (g.role == GroupRole::kLevelsOfSpine) {
      ChooseLevels(g, cands, &items);
    } else if (IsGestationGroup(g)) {
      ChooseGestation(g, cands, &items);
    } else if (IsImageGroup(g)) {
      // The method decides the fourth character, whichever the recommendation wrote (the standard).
      for (auto& cand : ExpandPattern(c_, CodeSystem::kOpcs4, c_.lexicon->image_category + ".-", "", &storage_)) {
        if (std::none_of(cands.begin(), cands.end(), [&](const Candidate& x) { return x.code == cand.code; }))
          cands.push_back(std::move(cand));
      }
      ChooseImage(g, cands, &items);
    } else if (g.role == GroupRole::kMethod && NamesImageControl(cands)) {
      ChooseImage(g, cands, &items);
    } else if (g.role == GroupRole::kSite && (!g.placeholder.empty() || cands.size() > 1)) {
      ChooseSites(g, cands, &items);
    } else if (g.role == GroupRole::kLaterality && (!g.placeholder.empty() || cands.size() > 1)) {
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
    out_->questions.push_back(
        {fmt::format("levels of spine not stated: {} used; state the levels (e.g. \"T12 and L1\") to be specific",
                     u.code),
         {"vertebrae"}});
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
          // Named by the words of the titles it selects: "computed tomography", not "ct".
          std::string name;
          for (const auto& w : mod->title) name += (name.empty() ? "" : " ") + w;
          items->push_back(Item(g, *best, fmt::format("image control by {}", name), method->evidence));
        } else {
          out_->questions.push_back({fmt::format("no code of {} names image control by {}; choose the code by hand",
                                                 Alternatives(g), text::Trim(value)),
                                     {}});
        }
      }
      if (!items->empty()) return;
    }
    const Candidate& u = Unspecified(cands);
    const Fact* control = c_.facts->Get("image_control");
    items->push_back(Item(g, u, "image control used, its method not stated (fourth character .9)",
                          control != nullptr ? control->evidence : ""));
    out_->questions.push_back(
        {fmt::format(
             "method of image control not stated: {} used; state it (ultrasound, CT, MRI, fluoroscopy) to be specific",
             u.code),
         {"image_method"}});
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
    // No site the lexicon knows: every site code whose title words all stand, affirmed, in one clause of the
    // note that does not call the part normal ("main bronchi clear"); several sites give several codes.
    for (bool implied : {false, true}) {
      for (const Candidate* cand : SitesInClauses(cands, implied)) add(*cand, "site named in the note", "");
      if (!items->empty()) return;
    }
    out_->questions.push_back({fmt::format("site not stated: add the site code ({}) for where the procedure was done",
                                           g.family.empty() ? g.placeholder : g.family),
                               {"site"}});
  }

  // The site codes named in clauses of the note, most specific only (a code whose words are all another's
  // gives way), in code order. With `implied`, the words a site title may leave unsaid ("skin" of "Skin of
  // scalp") need not be in the note, but some other word must.
  std::vector<const Candidate*> SitesInClauses(const std::vector<Candidate>& cands, bool implied) const {
    const auto& lx = *c_.lexicon;
    // With `implied`, a word of the site's category ("breast" of Z15.2 "Upper outer quadrant of breast") that
    // the note states anywhere need not be in the clause.
    std::map<std::string, Words> category_words;
    auto category = [&](const Candidate& cand) -> const Words& {
      auto [it, fresh] = category_words.try_emplace(cand.code.substr(0, 3));
      if (fresh && c_.opcs4 != nullptr) {
        std::uint32_t id = c_.opcs4->Find(it->first);
        if (id != Release::kNone) it->second = lx.normaliser->ContentWords(c_.opcs4->at(id).title);
      }
      return it->second;
    };
    auto needed_of = [&](const Candidate& cand, const std::string& w) {
      if (!implied) return true;
      if (Has(lx.site_implied_words, w)) return false;
      return !(Has(category(cand), w) && c_.affirmed_words.count(w) > 0);
    };
    std::vector<const Candidate*> in_note;
    for (const auto& cand : cands) {
      // "Other specified breast" and "Unspecified breast" name no site of their own.
      if (cand.words->empty() || IsNotSite(cand.code) || cand.code.ends_with(".8") || cand.code.ends_with(".9"))
        continue;
      std::size_t count = 0;
      bool all = true;
      for (const auto& w : *cand.words) {
        if (!needed_of(cand, w)) continue;
        ++count;
        all = all && c_.affirmed_words.count(w) > 0;
      }
      if (all && count > 0) in_note.push_back(&cand);
    }
    if (in_note.empty()) return {};
    std::map<std::uint32_t, std::unordered_set<std::string>> clauses;
    std::unordered_set<std::uint32_t> normal;
    const auto& tokens = c_.note->tokens;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (Has(lx.site_normal_words, tokens[i].word)) normal.insert(tokens[i].clause);
      if (!c_.note->negated[i]) clauses[tokens[i].clause].insert(tokens[i].word);
    }
    std::vector<const Candidate*> found;
    for (const auto& entry : clauses) {
      if (normal.count(entry.first) > 0) continue;
      const auto& words = entry.second;
      for (const Candidate* cand : in_note) {
        bool all = std::all_of(cand->words->begin(), cand->words->end(),
                               [&](const std::string& w) { return !needed_of(*cand, w) || words.count(w) > 0; });
        if (all && std::find(found.begin(), found.end(), cand) == found.end()) found.push_back(cand);
      }
    }
    std::vector<const Candidate*> out;
    for (const Candidate* a : found) {
      bool wider = std::any_of(found.begin(), found.end(), [&](const Candidate* b) {
        return b != a && b->words->size() > a->words->size() && ContainsAll(*b->words, *a->words);
      });
      if (!wider) out.push_back(a);
    }
    std::sort(out.begin(), out.end(), [](const Candidate* a, const Candidate* b) { return a->code < b->code; });
    return out;
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
    out_->questions.push_back({fmt::format("laterality not stated: add {} (left, right or bilateral) as the last code",
                                           g.family.empty() ? Alternatives(g) : g.family),
                               {"laterality"}});
  }

  // A number a title states of the thing it ends with: "one metallic stent", "three or more stents".
  struct TitleCount {
    int number = 0;
    bool or_more = false;
    std::string word, noun;  // the number's word and the noun, normalised
  };
  TitleCount CountOf(const Candidate& cand) const {
    TitleCount out;
    // Most titles state no number: their content words (already normalised) say so without a new reading.
    const auto& counts = c_.lexicon->count_words;
    if (std::none_of(cand.words->begin(), cand.words->end(), [&](const std::string& w) { return counts.count(w) > 0; }))
      return out;
    Words words = c_.lexicon->normaliser->PhraseWords(cand.title);
    for (std::size_t i = 0; i < words.size(); ++i) {
      auto it = c_.lexicon->count_words.find(words[i]);
      if (it == c_.lexicon->count_words.end() || i + 1 >= words.size()) continue;
      out.number = it->second;
      out.word = words[i];
      out.or_more = i + 2 < words.size() && words[i + 1] == "or" && words[i + 2] == "more";
      out.noun = words.back();
      return out;
    }
    return out;
  }
  // How many of `noun` the note states: a number before it ("2 stents", "two stents") or "x2" after it; one
  // when it is written once in the singular with no number; 0 when the note does not say.
  int NoteCount(const std::string& noun) const {
    const auto& tokens = c_.note->tokens;
    const std::string& text = c_.note->text;
    int stated = 0;
    bool singular = false;
    auto number = [&](const std::string& w) {
      std::string_view d = w;
      if (d.size() > 1 && d.front() == 'x') d.remove_prefix(1);
      if (!d.empty() && d.size() <= 2 && std::all_of(d.begin(), d.end(), [](char ch) { return std::isdigit(ch); }))
        return std::atoi(std::string(d).c_str());
      auto it = c_.lexicon->count_words.find(w);
      return it == c_.lexicon->count_words.end() ? 0 : it->second;
    };
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i].word != noun || c_.note->negated[i]) continue;
      int n = 0;
      for (std::size_t back = 1; back <= 2 && back <= i && n == 0; ++back) {
        if (tokens[i - back].clause == tokens[i].clause) n = number(tokens[i - back].word);
      }
      if (n == 0 && i + 1 < tokens.size() && tokens[i + 1].word.starts_with("x")) n = number(tokens[i + 1].word);
      stated = std::max(stated, n);
      const char last = tokens[i].end > 0 ? text[tokens[i].end - 1] : ' ';
      if (last != 's' && last != 'S') singular = true;
    }
    return stated > 0 ? stated : singular ? 1 : 0;
  }

  // Whether the note shows a title word by what it says was done (notes.yaml `shown_by`).
  bool ShownBy(const std::string& w) const {
    auto it = c_.lexicon->shown_by.find(w);
    if (it == c_.lexicon->shown_by.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [&](const std::string& x) { return c_.affirmed_words.count(x) > 0; });
  }

  // How well the note fits one alternative: its title words the others lack (`common` excluded), stated or
  // not, and how many of the stated ones one clause says together.
  struct WordFit {
    int stated = 0, missing = 0;
    std::size_t together = 0;
    Words matched;
    double Share() const { return stated + missing == 0 ? 0.0 : static_cast<double>(stated) / (stated + missing); }
    // The share of its distinguishing words the note has decides ("sacrohysteropexy", all of Q54.5's, beats
    // two of the three of "suspension of uterus using mesh"); then how many of them one clause says together
    // ("extended right hemihepatectomy"); then their number; then the plainest.
    bool Beats(const WordFit& o) const {
      if ((stated > 0) != (o.stated > 0)) return stated > 0;
      if (Share() != o.Share()) return Share() > o.Share();
      if (together != o.together) return together > o.together;
      if (stated != o.stated) return stated > o.stated;
      return missing < o.missing;
    }
  };
  using ClauseWords = std::map<std::uint32_t, std::unordered_set<std::string>>;

  WordFit FitOf(const Candidate& cand, const Words& common, const ClauseWords& clauses) const {
    WordFit fit;
    const TitleCount count = CountOf(cand);
    for (const auto& w : *cand.words) {
      if (Has(common, w) || (count.number > 0 && w == "more")) continue;
      bool said;
      if (count.number > 0 && w == count.word) {
        // "one metallic stent", "three or more ... stents": the number of that thing the note states.
        const int n = NoteCount(count.noun);
        said = n > 0 && (n == count.number || (count.or_more && n > count.number));
      } else {
        said = c_.note_words.count(w) > 0 || ShownBy(w);
      }
      if (said) fit.matched.push_back(w);
      ++(said ? fit.stated : fit.missing);
    }
    for (const auto& entry : clauses) {
      const auto& words = entry.second;
      fit.together =
          std::max<std::size_t>(fit.together, std::count_if(fit.matched.begin(), fit.matched.end(),
                                                            [&](const std::string& w) { return words.count(w) > 0; }));
    }
    return fit;
  }

  // The note's own words for title words: "fluoroscopic, T12".
  std::string EvidenceOf(const Words& matched) const {
    std::string evidence;
    for (const auto& w : matched) {
      for (std::size_t i = 0; i < c_.note->tokens.size(); ++i) {
        if (c_.note->tokens[i].word != w) continue;
        std::string e = c_.note->Evidence(i, i + 1);
        if (evidence.find(e) == std::string::npos) evidence += (evidence.empty() ? "" : ", ") + e;
        break;
      }
    }
    return evidence;
  }

  // Alternatives told apart by the words of their titles that the others lack ("augmentation ...
  // intravertebral implant"): the best fit (WordFit::Beats) wins; a category with no telling words gives its
  // .9 and a question.
  void ChooseByWords(const Group& g, const std::vector<Candidate>& cands, std::vector<CodedItem>* items) {
    if (cands.size() == 1) {
      items->push_back(Item(g, cands.front(), "the recommendation gives this code", ""));
      return;
    }
    Words common = *cands.front().words;
    for (const auto& cand : cands) {
      std::erase_if(common, [&](const std::string& w) { return !Has(*cand.words, w); });
    }
    ClauseWords clauses;
    for (const auto& t : c_.note->tokens) clauses[t.clause].insert(t.word);
    const Candidate* best = nullptr;
    WordFit best_fit;
    for (const auto& cand : cands) {
      WordFit fit = FitOf(cand, common, clauses);
      if (best == nullptr || fit.Beats(best_fit)) {
        best = &cand;
        best_fit = std::move(fit);
      }
    }
    bool from_category = g.any_of.size() == 1 && g.any_of.front().find('-') != std::string::npos;
    if (best_fit.stated == 0 && from_category) {
      const Candidate& u = Unspecified(cands);
      items->push_back(Item(g, u, "the note does not say which code of the category", ""));
      out_->questions.push_back({fmt::format("{} not specific in the note: {} used; state the procedure to be specific",
                                             Alternatives(g), u.code),
                                 {}});
      return;
    }
    std::string how, evidence;
    if (best_fit.stated > 0) {
      evidence = EvidenceOf(best_fit.matched);
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

  // ---- Gestational age ----------------------------------------------------------------------------------
  bool IsGestationGroup(const Group& g) {
    for (const auto& p : g.any_of) {
      for (const auto& cand : ExpandPattern(c_, CodeSystem::kOpcs4, p, "", &storage_)) {
        if (ContainsAll(*cand.words, c_.lexicon->gestation_title)) return true;
      }
    }
    return false;
  }

  void ChooseGestation(const Group& g, const std::vector<Candidate>& cands, std::vector<CodedItem>* items) {
    const Fact* f = c_.facts->Get("gestation_weeks");
    if (f == nullptr) {
      out_->questions.push_back(
          {fmt::format("gestational age not stated: state it (\"26+2/40\", \"19 weeks gestation\") to add {}",
                       Alternatives(g)),
           {"gestation_weeks"}});
      return;
    }
    const double weeks = std::atof(f->value.c_str());
    for (const auto& cand : cands) {
      WeekRange r;
      if (!ReadWeekRange(cand.title, &r) || !r.Contains(weeks)) continue;
      items->push_back(Item(g, cand, fmt::format("gestational age {} weeks", f->value), f->evidence));
      return;
    }
    out_->questions.push_back({fmt::format("no code of {} has a range of weeks holding {}; choose the code by hand",
                                           Alternatives(g), f->value),
                               {}});
  }

  // ---- The national standards on top of any recommendation -----------------------------------------------
  const CodedItem* MainItem() const {
    for (const auto& item : out_->procedures) {
      if (item.role == GroupRoleName(GroupRole::kMain)) return &item;
    }
    return out_->procedures.empty() ? nullptr : &out_->procedures.front();
  }

  // The words of a code's title and of its category's title.
  Words TitleAndCategory(const std::string& code) const {
    Words out;
    if (c_.opcs4 == nullptr) return out;
    for (const std::string& c : {code, code.substr(0, 3)}) {
      std::uint32_t id = c_.opcs4->Find(c);
      if (id == Release::kNone) continue;
      for (auto& w : c_.lexicon->normaliser->ContentWords(c_.opcs4->at(id).title)) out.push_back(std::move(w));
    }
    return out;
  }

  // Image control stated and the recommendation gives no image-control code: the standard adds one, by the
  // method, unless the main code's own title names its image control.
  void ImageControlStandard() {
    if (c_.facts->Holds("image_control") != Truth::kYes) return;
    const CodedItem* main_item = MainItem();
    if (main_item == nullptr) return;
    // Copied: the codes added below may move the procedures.
    const std::string main_code = main_item->code;
    Words title = c_.lexicon->normaliser->ContentWords(main_item->title);
    for (const auto& named : c_.lexicon->image_named_by_title) {
      Words content;
      for (const auto& w : named) {
        if (!c_.lexicon->normaliser->IsStopWord(w)) content.push_back(w);
      }
      if (!content.empty() && ContainsAll(title, content)) return;
    }
    AddByStandard(c_.lexicon->image_category, GroupRole::kMethod, &ProcedureComposer::ChooseImage,
                  fmt::format("image control): the note states image control and {} does not name it", main_code));
  }

  // A code of `category` chosen as a group of `role` would be, said to be the standard's.
  using Chooser = void (ProcedureComposer::*)(const Group&, const std::vector<Candidate>&, std::vector<CodedItem>*);
  void AddByStandard(const std::string& category, GroupRole role, Chooser choose, const std::string& because) {
    Group g;
    g.any_of = {category + ".-"};
    g.role = role;
    auto cands = ExpandPattern(c_, CodeSystem::kOpcs4, g.any_of.front(), "", &storage_);
    if (cands.empty()) return;
    std::vector<CodedItem> items;
    (this->*choose)(g, cands, &items);
    for (auto& item : items) {
      item.why = fmt::format("national standard ({}; {}", because, item.why.substr(item.why.rfind(": ") + 2));
      out_->procedures.push_back(std::move(item));
    }
  }

  // A procedure on a paired organ or a limb takes a laterality code when the recommendation gives none.
  void LateralityStandard() {
    const std::string& cat = c_.lexicon->laterality_category;
    std::string organ;
    for (const auto& item : out_->procedures) {
      if (item.code.starts_with(cat)) return;
      if (item.role != GroupRoleName(GroupRole::kMain) && item.role != GroupRoleName(GroupRole::kSite)) continue;
      Words words = TitleAndCategory(item.code);
      for (const auto& paired : c_.lexicon->paired_words) {
        if (organ.empty() && ContainsAll(words, paired)) {
          for (const auto& w : paired) organ += (organ.empty() ? "" : " ") + w;
        }
      }
    }
    if (organ.empty()) return;
    AddByStandard(cat, GroupRole::kLaterality, &ProcedureComposer::ChooseLaterality,
                  fmt::format("laterality): the {} is a paired organ or a limb", organ));
  }

  const ComposeContext& c_;
  Composition* out_;
  std::deque<Words> storage_;
  std::string condition_why_, condition_evidence_;
  const Scenario* scenario_ = nullptr;
  std::string scenario_why_;
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

void OrderProcedures(const NoteLexicon& lexicon, const Release* opcs4, std::vector<CodedItem>* procedures) {
  auto rank = [&](const CodedItem& item) {
    for (std::size_t r = 0; r < lexicon.order.size(); ++r) {
      const auto& roles = lexicon.order[r];
      if (std::find(roles.begin(), roles.end(), item.role) != roles.end()) return r;
    }
    return lexicon.order.size();
  };
  std::stable_sort(procedures->begin(), procedures->end(),
                   [&](const CodedItem& a, const CodedItem& b) { return rank(a) < rank(b); });
  // No code twice: two groups that chose one code give it once, where it first stands.
  std::vector<CodedItem> once;
  for (auto& item : *procedures) {
    if (std::none_of(once.begin(), once.end(), [&](const CodedItem& x) { return x.code == item.code; }))
      once.push_back(std::move(item));
  }
  *procedures = std::move(once);
  // The approach codes of the main procedure follow each further procedure too.
  auto is_approach = [&](const CodedItem& item) {
    return std::any_of(lexicon.approach_categories.begin(), lexicon.approach_categories.end(),
                       [&](const std::string& cat) { return item.code.starts_with(cat); });
  };
  std::vector<CodedItem> approach;
  for (const auto& item : *procedures) {
    if (is_approach(item)) approach.push_back(item);
  }
  if (approach.empty()) return;
  std::vector<CodedItem> out;
  for (std::size_t i = 0; i < procedures->size(); ++i) {
    const CodedItem& item = (*procedures)[i];
    out.push_back(item);
    // A further procedure, not a subsidiary code (Chapters Y and Z and the O overflow categories, by the
    // release's own flag).
    std::uint32_t id = opcs4 == nullptr ? Release::kNone : opcs4->Find(item.code);
    const bool subsidiary = id != Release::kNone && opcs4->at(id).flags.subsidiary;
    const bool further = i > 0 && item.role == GroupRoleName(GroupRole::kAdditional) && !subsidiary;
    if (!further) continue;
    for (auto copy : approach) {
      copy.why = fmt::format("national standard (approach): {} was done by the same approach; {}", item.code, copy.why);
      out.push_back(std::move(copy));
    }
  }
  *procedures = std::move(out);
}

}  // namespace clincode::coding
