#include "clincode/assistant.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "clincode/normalise.h"
#include "coding/composer.h"
#include "coding/diagnosis_titles.h"
#include "util/text.h"

namespace clincode {

namespace {

const Release* FirstOf(const Catalog& catalog, CodeSystem system) {
  auto releases = catalog.ReleasesOf(system);
  return releases.empty() ? nullptr : releases.front();
}

// The words a recommendation is known by: the procedure part of its title (knowledge/coding/notes.yaml
// `find`), and the titles of its main procedure codes.
struct Known {
  coding::Words title, main;
};

coding::Words ProcedureWords(const std::string& title, const coding::NoteLexicon& lx) {
  auto tokens = lx.normaliser->Tokenize(std::string_view(title).substr(0, title.find('(')));
  std::size_t end = tokens.size();
  for (std::size_t i = 1; i < tokens.size() && end == tokens.size(); ++i) {
    for (const auto& phrase : lx.indication_words) {
      bool at = i + phrase.size() <= tokens.size();
      for (std::size_t k = 0; at && k < phrase.size(); ++k) at = tokens[i + k].word == phrase[k];
      if (at) end = i;
    }
  }
  coding::Words out;
  for (std::size_t i = 0; i < end; ++i) {
    const std::string& w = tokens[i].word;
    bool generic = std::find(lx.generic_words.begin(), lx.generic_words.end(), w) != lx.generic_words.end();
    if (!generic && !lx.normaliser->IsStopWord(w) && std::find(out.begin(), out.end(), w) == out.end())
      out.push_back(w);
  }
  return out;
}

Known KnownWords(const Recommendation& rec, const Catalog& catalog, const coding::NoteLexicon& lx) {
  Known k{ProcedureWords(rec.title, lx), {}};
  const Section* opcs = rec.SectionFor(CodeSystem::kOpcs4);
  if (opcs != nullptr && !opcs->groups.empty() && opcs->groups.front().role == GroupRole::kMain) {
    const Group& main = opcs->groups.front();
    for (std::size_t i = 0; i < main.any_of.size(); ++i) {
      std::string title = i < main.titles.size() ? main.titles[i] : "";
      auto hits = catalog.Lookup(main.any_of[i], CodeSystem::kOpcs4);
      if (hits.ok() && !hits->empty()) title = hits->front().entry().title;
      for (auto& w : lx.normaliser->ContentWords(title)) {
        if (std::find(k.main.begin(), k.main.end(), w) == k.main.end()) k.main.push_back(std::move(w));
      }
    }
  }
  return k;
}

bool HasSection(const Recommendation& rec, CodeSystem system) {
  const Section* s = rec.SectionFor(system);
  if (s == nullptr) return false;
  return system == CodeSystem::kCpt ? !s->cpt_codes.empty() : !s->groups.empty() || !s->scenarios.empty();
}

void AddNoteWords(const std::vector<coding::Token>& tokens, std::unordered_set<std::string>* out) {
  for (const auto& t : tokens) out->insert(t.word);
}

}  // namespace

struct CodingAssistant::Index {
  Index(const Catalog& catalog, const GuidanceLibrary& library, const coding::NoteLexicon& lx)
      : words(catalog, *lx.normaliser) {
    for (const auto& rec : library.all()) known.push_back(KnownWords(rec, catalog, lx));
    if (const Release* icd10 = FirstOf(catalog, CodeSystem::kIcd10))
      diagnoses = std::make_unique<coding::DiagnosisTitles>(*icd10, lx);
  }
  coding::TitleWords words;
  std::unique_ptr<coding::DiagnosisTitles> diagnoses;
  std::vector<Known> known;  // by position in the library
};

CodingAssistant::CodingAssistant(std::shared_ptr<const Catalog> catalog,
                                 std::shared_ptr<const GuidanceLibrary> guidance,
                                 std::shared_ptr<const Validator> validator)
    : catalog_(std::move(catalog)), guidance_(std::move(guidance)), validator_(std::move(validator)) {
  index_ = std::make_unique<Index>(*catalog_, *guidance_, coding::GetNoteLexicon());
}

CodingAssistant::~CodingAssistant() = default;

std::vector<GuidanceCandidate> CodingAssistant::FindGuidance(std::string_view note, CodeSystem system) const {
  const auto& lx = coding::GetNoteLexicon();
  auto tokens = lx.normaliser->Tokenize(note);
  std::unordered_map<std::string, std::string> written;  // normalised word -> as the note writes it
  for (const auto& t : tokens) {
    if (!written.count(t.word)) written[t.word] = std::string(note.substr(t.begin, t.end - t.begin));
  }
  std::vector<GuidanceCandidate> out;
  for (std::size_t r = 0; r < guidance_->all().size(); ++r) {
    const Recommendation& rec = guidance_->all()[r];
    if (!HasSection(rec, system)) continue;
    const Known& known = index_->known[r];
    std::size_t matched_title = 0, matched_main = 0;
    std::vector<std::string> matched;
    auto note_says = [&](const std::string& w) {
      auto it = written.find(w);
      if (it == written.end()) return false;
      if (std::find(matched.begin(), matched.end(), it->second) == matched.end()) matched.push_back(it->second);
      return true;
    };
    for (const auto& w : known.title) matched_title += note_says(w) ? 1 : 0;
    for (const auto& w : known.main) matched_main += note_says(w) ? 1 : 0;
    if (matched.empty()) continue;
    double coverage = known.title.empty() ? 0 : static_cast<double>(matched_title) / known.title.size();
    // The main procedure's title words only break ties between titles that fit equally.
    double score = coverage + 0.01 * static_cast<double>(matched_main);
    out.push_back({&rec, score, std::move(matched), coverage >= lx.min_title_coverage});
  }
  std::stable_sort(out.begin(), out.end(), [](const GuidanceCandidate& a, const GuidanceCandidate& b) {
    if (a.acceptable != b.acceptable) return a.acceptable;
    return a.score > b.score;
  });
  return out;
}

Result<CodingResult> CodingAssistant::Code(const CodingRequest& request) const {
  const auto& lx = coding::GetNoteLexicon();
  if (text::Trim(request.text).empty() && request.facts.empty() && request.guidance_id.empty() &&
      !request.recommendation) {
    return InvalidArgument("nothing to code: give an operation note (--text, --text-file) or facts (--fact)");
  }
  if (request.text.size() > kMaxNoteBytes) {
    return InvalidArgument(
        fmt::format("the note is {} bytes; the limit is {} bytes (an operation note is a few kilobytes)",
                    request.text.size(), kMaxNoteBytes));
  }
  CodingResult result;
  // The recommendation: a file, an id, or the words of the note.
  const Recommendation* rec = nullptr;
  if (request.recommendation) {
    rec = &*request.recommendation;
    result.found_by = "given as a file (" + rec->source + ")";
    result.from_library = false;
  } else if (!request.guidance_id.empty()) {
    rec = guidance_->Find(request.guidance_id);
    if (rec == nullptr)
      return NotFound(
          fmt::format("no recommendation \"{}\" in the library (see: clincode guidance list)", request.guidance_id));
    result.found_by = "given";
  } else {
    CodeSystem system = request.system.value_or(CodeSystem::kOpcs4);
    auto candidates = FindGuidance(request.text, system);
    if (candidates.empty() || !candidates.front().acceptable) {
      std::string nearest;
      for (std::size_t i = 0; i < candidates.size() && i < 3; ++i) {
        nearest += (nearest.empty() ? "" : ", ") + candidates[i].recommendation->id;
      }
      return NotFound(fmt::format("no recommendation in the library fits the note{}; choose the recommendation",
                                  nearest.empty() ? "" : " (nearest, not close enough: " + nearest + ")"));
    }
    if (candidates.size() > 1 && candidates[1].acceptable && candidates[1].score >= candidates.front().score) {
      return NotFound(fmt::format("the note fits more than one recommendation ({} and {}); choose the recommendation",
                                  candidates[0].recommendation->id, candidates[1].recommendation->id));
    }
    rec = candidates.front().recommendation;
    std::string words;
    for (const auto& w : candidates.front().matched) words += (words.empty() ? "" : ", ") + w;
    result.found_by = fmt::format("found from the note (words: {})", words);
  }
  // CPT: the recommendation itself or its related code family.
  CodeSystem system = request.system.value_or(
      HasSection(*rec, CodeSystem::kOpcs4) || !HasSection(*rec, CodeSystem::kCpt) ? CodeSystem::kOpcs4
                                                                                  : CodeSystem::kCpt);
  if (system == CodeSystem::kCpt && !HasSection(*rec, CodeSystem::kCpt)) {
    for (const auto& id : rec->related) {
      const Recommendation* r = guidance_->Find(id);
      if (r != nullptr && HasSection(*r, CodeSystem::kCpt)) {
        result.found_by += fmt::format("; CPT codes from the related {}", r->id);
        rec = r;
        break;
      }
    }
  }
  if (!HasSection(*rec, system)) {
    return NotFound(fmt::format("{} has no {} section", rec->id, CodeSystemName(system)));
  }
  result.guidance = rec->id;
  result.guidance_title = rec->title;
  result.system = system;

  coding::NoteReading note = coding::ReadNote(request.text);
  result.facts = note.facts;
  for (const auto& f : request.facts) {
    if (Status s = SetFactFromText(f, &result.facts); !s.ok()) return s;
  }
  if (const Fact* site = result.facts.Get("site"); site != nullptr && site->from_user) {
    note.sites.clear();
    for (auto part : text::Split(site->value, ';')) {
      note.sites.push_back({std::string(text::Trim(part)), lx.normaliser->ContentWords(part), ""});
    }
  }
  coding::ComposeContext context{rec,
                                 &note,
                                 &result.facts,
                                 FirstOf(*catalog_, CodeSystem::kOpcs4),
                                 FirstOf(*catalog_, CodeSystem::kIcd10),
                                 FirstOf(*catalog_, CodeSystem::kCpt),
                                 &index_->words,
                                 &lx,
                                 index_->diagnoses.get(),
                                 {},
                                 {}};
  AddNoteWords(note.tokens, &context.note_words);
  for (std::size_t i = 0; i < note.tokens.size(); ++i) {
    if (!note.negated[i]) context.affirmed_words.insert(note.tokens[i].word);
  }
  if (const Fact* t = result.facts.Get("technique"))
    AddNoteWords(lx.normaliser->Tokenize(t->value), &context.note_words);

  coding::Composition composition;
  if (system == CodeSystem::kCpt) {
    coding::ComposeCpt(context, *rec->SectionFor(CodeSystem::kCpt), &composition);
  } else {
    coding::ComposeProcedures(context, &composition);
    coding::OrderProcedures(lx, context.opcs4, &composition.procedures);
    coding::ComposeDiagnoses(context, &composition);
  }
  result.procedures = std::move(composition.procedures);
  result.diagnoses = std::move(composition.diagnoses);
  result.assumptions = std::move(composition.assumptions);
  result.questions = std::move(composition.questions);
  result.scenario = std::move(composition.scenario);
  result.conditions = std::move(composition.conditions);

  // The assistant's own validator checks what it proposes.
  if (validator_ != nullptr && system == CodeSystem::kOpcs4) {
    Episode episode;
    episode.id = "proposed";
    std::vector<std::string> procs, diags;
    for (const auto& p : result.procedures) procs.push_back(p.code);
    for (const auto& d : result.diagnoses) diags.push_back(d.code);
    SetProcedures(procs, &episode);
    SetDiagnoses(diags, &episode);
    std::string sex = result.facts.Value("sex");
    episode.sex = sex == "male" ? 1 : sex == "female" ? 2 : 0;
    std::string age = result.facts.Value("age");
    episode.age = age.empty() ? -1 : std::atoi(age.c_str());
    validator_->Check(episode, &result.findings);
  }
  return result;
}

}  // namespace clincode
