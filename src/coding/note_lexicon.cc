#include "coding/note_lexicon.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "classification/embedded.h"
#include "util/text.h"

namespace clincode::coding {
namespace {

// The lexicon files are part of the build and covered by tests; a malformed one is a build defect.
[[noreturn]] void Broken(const std::string& what) {
  fmt::print(stderr, "clincode: built-in knowledge file knowledge/coding/*.yaml is malformed: {}\n", what);
  std::abort();
}

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!node) return out;
  if (node.IsScalar()) return {node.as<std::string>()};
  for (const auto& n : node) out.push_back(n.as<std::string>());
  return out;
}

// Words of a phrase as written: split on spaces and hyphens, lower case (normalised by the Normaliser).
Words RawWords(const std::string& phrase) {
  Words out;
  std::string lower = text::Folded(phrase);
  text::ForEachWord(lower, [&](std::string_view w) { out.emplace_back(w); });
  return out;
}

std::unique_ptr<Normaliser> ReadNormaliser(const YAML::Node& y) {
  std::vector<Normaliser::Abbreviation> abbreviations;
  for (const auto& a : y["abbreviations"]) {
    bool exact = a["exact"] && a["exact"].as<bool>();
    for (const auto& from : Strings(a["from"])) {
      abbreviations.push_back({exact ? from : text::Folded(from), RawWords(a["to"].as<std::string>()), exact});
    }
  }
  std::unordered_map<std::string, std::string> synonyms;
  for (const auto& s : y["synonyms"]) synonyms[text::Folded(s.first.as<std::string>())] = s.second.as<std::string>();
  std::vector<Normaliser::PhraseRewrite> rewrites;
  for (const auto& p : y["phrases"]) {
    for (const auto& from : Strings(p["from"]))
      rewrites.push_back({RawWords(from), RawWords(p["to"].as<std::string>())});
  }
  return std::make_unique<Normaliser>(std::move(abbreviations), std::move(synonyms), std::move(rewrites),
                                      Strings(y["stop_words"]), Strings(y["clause_breaks"]),
                                      Strings(y["clause_words"]));
}

void AddPhrases(const Normaliser& n, const YAML::Node& phrases, int value, PhraseSet* set) {
  for (const auto& p : Strings(phrases)) set->Add(n.PhraseWords(p), value);
}

Words NormalisedWords(const Normaliser& n, const YAML::Node& words) {
  Words out;
  for (const auto& w : Strings(words)) {
    for (auto& x : n.PhraseWords(w)) out.push_back(std::move(x));
  }
  return out;
}

ClauseRule ReadClauseRule(const Normaliser& n, std::string name, const YAML::Node& all) {
  ClauseRule r{std::move(name), {}};
  for (const auto& list : all) {
    PhraseSet set;
    AddPhrases(n, list, 0, &set);
    r.all.push_back(std::move(set));
  }
  return r;
}

void ReadImageControl(const YAML::Node& y, NoteLexicon* lx) {
  const Normaliser& n = *lx->normaliser;
  AddPhrases(n, y["mentions"], 0, &lx->image_mentions);
  AddPhrases(n, y["cues"], 0, &lx->image_cues);
  AddPhrases(n, y["none"], 0, &lx->image_none);
  for (const auto& m : y["modalities"]) {
    int index = static_cast<int>(lx->modalities.size());
    lx->modalities.push_back({m["value"].as<std::string>(), NormalisedWords(n, m["title"]), m["needs_cue"].as<bool>()});
    AddPhrases(n, m["phrases"], index, &lx->modality_phrases);
  }
  lx->modality_not_after = NormalisedWords(n, y["not_after"]);
  lx->image_category = y["category"].as<std::string>();
  for (const auto& w : Strings(y["named_by_title"])) lx->image_named_by_title.push_back(n.PhraseWords(w));
}

void ReadSpine(const YAML::Node& y, NoteLexicon* lx) {
  const Normaliser& n = *lx->normaliser;
  for (const auto& r : y["regions"]) {
    lx->regions.push_back({Strings(r["letters"]), r["vertebrae"].as<int>(), r["word"].as<std::string>()});
  }
  for (const auto& r : y["region_words"]) {
    for (const auto& w : n.PhraseWords(r.first.as<std::string>())) lx->region_words[w] = Strings(r.second);
  }
  for (const auto& c : y["count_words"]) {
    for (const auto& w : n.PhraseWords(c.first.as<std::string>())) lx->count_words[w] = c.second.as<int>();
  }
  lx->range_words = NormalisedWords(n, y["range_words"]);
  AddPhrases(n, y["level_words"], 0, &lx->level_words);
  for (const auto& s : y["structures"]) {
    int index = static_cast<int>(lx->structures.size());
    lx->structures.push_back({s["name"].as<std::string>(), s["segment"].as<bool>(), NormalisedWords(n, s["site"])});
    AddPhrases(n, s["phrases"], index, &lx->structure_phrases);
  }
  for (const auto& j : y["junctions"]) {
    auto between = Strings(j["between"]);
    if (between.size() != 2) Broken("spine junction needs two vertebrae");
    lx->junctions.push_back({between[0], between[1], NormalisedWords(n, j["site"])});
  }
  for (const auto& l : y["level_titles"]) {
    lx->level_titles.emplace_back(l["levels"].as<int>(), NormalisedWords(n, l["title"]));
  }
}

void ReadSitesAndSides(const YAML::Node& y, NoteLexicon* lx) {
  const Normaliser& n = *lx->normaliser;
  for (const auto& v : y["laterality"]["values"]) {
    int index = static_cast<int>(lx->laterality.size());
    lx->laterality.push_back({v["value"].as<std::string>(), NormalisedWords(n, v["title"])});
    AddPhrases(n, v["phrases"], index, &lx->laterality_phrases);
  }
  lx->laterality_not_after = NormalisedWords(n, y["laterality"]["not_after"]);
  lx->laterality_window = y["laterality"]["window"].as<int>();
  for (const auto& m : y["laterality"]["marks"]) {
    lx->side_marks.push_back({m["written"].as<std::string>(), m["value"].as<std::string>()});
  }
  for (const auto& w : Strings(y["laterality"]["paired"])) lx->paired_words.push_back(n.PhraseWords(w));
  lx->laterality_category = y["laterality"]["category"].as<std::string>();
  for (const auto& s : y["sites"]) {
    int index = static_cast<int>(lx->sites.size());
    auto phrases = Strings(s["phrases"]);
    lx->sites.push_back({phrases.empty() ? "" : phrases.front(), NormalisedWords(n, s["site"])});
    AddPhrases(n, s["phrases"], index, &lx->site_phrases);
  }
  lx->site_implied_words = NormalisedWords(n, y["site_implied"]);
  lx->site_normal_words = NormalisedWords(n, y["site_normal"]);
  for (const auto& p : Strings(y["not_sites"])) {
    auto pattern = CodePattern::Parse(CodeSystem::kOpcs4, p);
    if (!pattern.ok()) Broken("not_sites: " + pattern.status().message());
    lx->not_sites.push_back(*pattern);
  }
}

NoteLexicon Read() {
  NoteLexicon lx;
  try {
    YAML::Node y = YAML::Load(std::string(embedded::Find("knowledge/coding/notes.yaml")));
    lx.normaliser = ReadNormaliser(y);
    const Normaliser& n = *lx.normaliser;
    AddPhrases(n, y["negation"]["before"], 0, &lx.negation_before);
    AddPhrases(n, y["negation"]["after"], 0, &lx.negation_after);
    ReadImageControl(y["image_control"], &lx);
    ReadSpine(y["spine"], &lx);
    ReadSitesAndSides(y, &lx);
    for (const auto& f : y["flags"]) {
      lx.flags.push_back(ReadClauseRule(n, f["fact"].as<std::string>(), f["all"]));
      if (f["value"]) lx.flags.back().value = f["value"].as<std::string>();
    }
    for (const auto& w : Strings(y["diagnosis_lines"])) lx.diagnosis_line_words.push_back(n.PhraseWords(w));
    lx.week_words = NormalisedWords(n, y["gestation"]["week_words"]);
    lx.gestation_words = NormalisedWords(n, y["gestation"]["words"]);
    lx.gestation_title = NormalisedWords(n, y["gestation"]["title"]);
    lx.condition_filler = NormalisedWords(n, y["condition_filler"]);
    for (const auto& rank : y["order"]) lx.order.push_back(Strings(rank));
    lx.approach_categories = Strings(y["approach_categories"]);
    for (const auto& entry : y["fact_labels"])
      lx.fact_labels[entry.first.as<std::string>()] = entry.second.as<std::string>();
    for (const auto& entry : y["shown_by"]) {
      for (const auto& w : n.PhraseWords(entry.first.as<std::string>()))
        lx.shown_by[w] = NormalisedWords(n, entry.second);
    }
    for (const auto& p : y["cpt_parts"]) {
      NoteLexicon::CptPart part{p["part"].as<std::string>(), {}};
      AddPhrases(n, p["phrases"], 0, &part.phrases);
      lx.cpt_parts.push_back(std::move(part));
    }
    lx.min_title_coverage = y["find"]["min_title_coverage"].as<double>();
    for (const auto& w : Strings(y["find"]["indication_words"])) lx.indication_words.push_back(n.PhraseWords(w));
    lx.generic_words = NormalisedWords(n, y["find"]["generic_words"]);
    YAML::Node d = YAML::Load(std::string(embedded::Find("knowledge/coding/diagnoses.yaml")));
    lx.diagnosis_implied_words = NormalisedWords(n, d["titles"]["implied"]);
    auto icd = [](const std::string& text) {
      auto pattern = CodePattern::Parse(CodeSystem::kIcd10, text);
      if (!pattern.ok()) Broken("diagnoses.yaml: " + pattern.status().message());
      return *pattern;
    };
    for (const auto& x : Strings(d["titles"]["symptoms"])) lx.symptom_codes.push_back(icd(x));
    lx.residual_title_words = Strings(d["titles"]["residual"]);
    for (const auto& x : Strings(d["titles"]["not_read"])) lx.not_read_codes.push_back(icd(x));
    for (const auto& cue : d["history"]["cues"]) {
      lx.history_cues.emplace_back();
      AddPhrases(n, cue, 0, &lx.history_cues.back());
    }
    for (const auto& h : d["history"]["codes"]) {
      lx.history_codes.emplace_back(icd(h["of"].as<std::string>()), h["code"].as<std::string>());
    }
    for (const auto& e : d["diagnoses"]) {
      lx.diagnoses.push_back(ReadClauseRule(n, e["code"].as<std::string>(), e["all"]));
      for (const auto& x : Strings(e["excludes"])) {
        auto pattern = CodePattern::Parse(CodeSystem::kIcd10, x);
        if (!pattern.ok()) Broken("diagnosis excludes: " + pattern.status().message());
        lx.diagnoses.back().excludes.push_back(*pattern);
      }
    }
  } catch (const YAML::Exception& e) {
    Broken(e.what());
  }
  return lx;
}

}  // namespace

const NoteLexicon& GetNoteLexicon() {
  static const NoteLexicon lexicon = Read();
  return lexicon;
}

}  // namespace clincode::coding
