#include "clincode/facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "clincode/normalise.h"
#include "coding/note_lexicon.h"
#include "coding/note_reader.h"
#include "util/text.h"

namespace clincode {
namespace {

// The values facts take come from the lexicon (knowledge/coding/notes.yaml), so a new modality, flag or
// spine structure there is a new fact value here too.
struct Vocabulary {
  std::vector<std::string> yes_no_keys, image_methods, laterality, structures, regions;
  // Flags with a value ("approach": laparoscopic, percutaneous, ...), in the lexicon's order.
  std::vector<std::pair<std::string, std::vector<std::string>>> valued;
  const std::vector<std::string>* ValuesOf(std::string_view key) const {
    for (const auto& [k, v] : valued) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

bool In(const std::vector<std::string>& values, std::string_view v);

const Vocabulary& Vocab() {
  static const Vocabulary vocabulary = [] {
    const coding::NoteLexicon& lx = coding::GetNoteLexicon();
    Vocabulary out;
    out.yes_no_keys.push_back("image_control");
    for (const auto& f : lx.flags) {
      if (f.value.empty()) {
        if (!In(out.yes_no_keys, f.name)) out.yes_no_keys.push_back(f.name);
        continue;
      }
      auto it = std::find_if(out.valued.begin(), out.valued.end(),
                             [&](const auto& valued) { return valued.first == f.name; });
      if (it == out.valued.end()) it = out.valued.insert(out.valued.end(), {f.name, {}});
      if (!In(it->second, f.value)) it->second.push_back(f.value);
    }
    for (const auto& m : lx.modalities) out.image_methods.push_back(m.value);
    for (const auto& l : lx.laterality) out.laterality.push_back(l.value);
    for (const auto& s : lx.structures) out.structures.push_back(s.name);
    for (const auto& r : lx.regions) out.regions.push_back(r.word);
    return out;
  }();
  return vocabulary;
}

bool In(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

std::string Listed(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
  }
  return out;
}

bool IsYes(std::string_view v) { return v == "yes" || v == "true" || v == "1"; }
bool IsNo(std::string_view v) { return v == "no" || v == "false" || v == "0"; }

bool AllOf(std::string_view list, const std::function<bool(std::string_view)>& ok) {
  for (auto item : text::Split(list, ',')) {
    if (!ok(text::Trim(item))) return false;
  }
  return true;
}

bool OneOf(std::string_view v, std::initializer_list<std::string_view> values) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// Whether `value` is one `key` takes; `expected` says what it takes when not.
bool ValueFits(const std::string& key, const std::string& value, std::string* expected) {
  auto is_number = [](std::string_view v) {
    return !v.empty() && v.size() <= 3 && std::all_of(v.begin(), v.end(), text::IsDigit);
  };
  const Vocabulary& vocab = Vocab();
  if (In(vocab.yes_no_keys, key)) {
    *expected = "yes or no";
    return IsYes(value) || IsNo(value);
  }
  if (const auto* values = vocab.ValuesOf(key)) {
    *expected = Listed(*values);
    return In(*values, value);
  }
  if (key == "gestation_weeks") {
    *expected = "a number of weeks, as 26 or 26.3";
    char* end = nullptr;
    const double w = std::strtod(value.c_str(), &end);
    return !value.empty() && value.size() <= 5 && end == value.c_str() + value.size() && w > 0 && w < 50;
  }
  if (key == "image_method") {
    *expected = Listed(vocab.image_methods);
    return AllOf(value, [&](std::string_view v) { return In(vocab.image_methods, v); });
  }
  if (key == "levels" || key == "age") {
    *expected = "a whole number";
    return is_number(value);
  }
  if (key == "laterality") {
    *expected = Listed(vocab.laterality);
    return In(vocab.laterality, value);
  }
  if (key == "spine_structure") {
    *expected = Listed(vocab.structures);
    return In(vocab.structures, value);
  }
  if (key == "spine_region") {
    *expected = Listed(vocab.regions) + " (comma-separated)";
    return AllOf(value, [&](std::string_view v) { return In(vocab.regions, v); });
  }
  if (key == "sex") {
    *expected = "male or female";
    return OneOf(value, {"male", "female"});
  }
  if (key == "diagnosis") {
    *expected = "ICD-10 codes, comma-separated";
    return AllOf(value, [](std::string_view v) {
      NormalisedCode c;
      return TryNormaliseCode(CodeSystem::kIcd10, v, &c);
    });
  }
  if (key == "vertebrae") {
    *expected = "vertebrae such as T12,L1";
    return AllOf(value, [](std::string_view v) {
      return v.size() >= 2 && v.size() <= 4 && text::IsAlpha(v[0]) && text::IsDigit(v.back());
    });
  }
  return !value.empty();  // site, technique: free words
}

}  // namespace

const std::vector<std::string>& FactKeys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k = {"image_method",    "vertebrae",  "levels", "spine_region",
                                  "spine_structure", "laterality", "site",   "diagnosis",
                                  "technique",       "sex",        "age",    "gestation_weeks"};
    k.insert(k.begin(), Vocab().yes_no_keys.begin(), Vocab().yes_no_keys.end());
    for (const auto& [key, values] : Vocab().valued) k.push_back(key);
    return k;
  }();
  return keys;
}

void Facts::Set(std::string key, std::string value, std::string evidence, bool from_user) {
  for (auto& f : facts_) {
    if (f.key == key) {
      f = Fact{std::move(key), std::move(value), std::move(evidence), from_user};
      return;
    }
  }
  facts_.push_back({std::move(key), std::move(value), std::move(evidence), from_user});
}

const Fact* Facts::Get(std::string_view key) const {
  for (const auto& f : facts_) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

std::string Facts::Value(std::string_view key) const {
  const Fact* f = Get(key);
  return f == nullptr ? std::string() : f->value;
}

Truth Facts::Holds(std::string_view key) const {
  // "approach=laparoscopic": the fact has that value (one of a listed value).
  if (std::size_t eq = key.find('='); eq != std::string_view::npos) {
    const Fact* f = Get(text::Trim(key.substr(0, eq)));
    if (f == nullptr) return Truth::kUnknown;
    const std::string_view want = text::Trim(key.substr(eq + 1));
    for (auto item : text::Split(f->value, ',')) {
      if (text::Trim(item) == want) return Truth::kYes;
    }
    return Truth::kNo;
  }
  if (const Fact* f = Get(key)) {
    if (IsYes(f->value)) return Truth::kYes;
    if (IsNo(f->value)) return Truth::kNo;
    return Truth::kYes;  // a value fact that is present ("levels": "2")
  }
  // A condition naming a value of a fact: "fluoroscopy" (image_method), "bilateral" (laterality).
  auto listed = [](const std::string& list, std::string_view v) {
    for (auto item : text::Split(list, ',')) {
      if (text::Trim(item) == v) return true;
    }
    return false;
  };
  if (In(Vocab().image_methods, key)) {
    if (const Fact* m = Get("image_method")) return listed(m->value, key) ? Truth::kYes : Truth::kNo;
    return Holds("image_control") == Truth::kNo ? Truth::kNo : Truth::kUnknown;
  }
  if (In(Vocab().laterality, key)) {
    if (const Fact* l = Get("laterality")) return l->value == key ? Truth::kYes : Truth::kNo;
  }
  return Truth::kUnknown;
}

Status SetFactFromText(std::string_view key_value, Facts* facts) {
  std::size_t eq = key_value.find('=');
  if (eq == std::string_view::npos) {
    return InvalidArgument(fmt::format("fact \"{}\" is not key=value (e.g. image_method=fluoroscopy)", key_value));
  }
  std::string key = text::ToLowerAscii(text::Trim(key_value.substr(0, eq)));
  std::string value(text::Trim(key_value.substr(eq + 1)));
  const auto& keys = FactKeys();
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    std::string known;
    for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k;
    return InvalidArgument(fmt::format("unknown fact \"{}\" in \"{}\"; facts are: {}", key, key_value, known));
  }
  if (key != "site" && key != "technique" && key != "diagnosis" && key != "vertebrae")
    value = text::ToLowerAscii(value);
  if (key == "vertebrae" || key == "diagnosis") value = text::ToUpperAscii(value);
  std::string expected;
  if (!ValueFits(key, value, &expected)) {
    return InvalidArgument(fmt::format("fact {} has value \"{}\"; expected {}", key, value, expected));
  }
  facts->Set(std::move(key), std::move(value), "", true);
  return Status::Ok();
}

std::string_view FactValueKindName(FactValueKind kind) {
  switch (kind) {
    case FactValueKind::kYesNo: return "yes_no";
    case FactValueKind::kChoice: return "choice";
    case FactValueKind::kCodes: return "codes";
    case FactValueKind::kNumber: return "number";
    case FactValueKind::kWords: return "words";
  }
  return "words";
}

std::string AnswerFact(std::string_view fact) {
  const Vocabulary& vocab = Vocab();
  std::string f(text::Trim(fact));
  if (f.find('=') != std::string::npos) return f;
  if (In(vocab.yes_no_keys, f)) return f + "=yes";
  if (In(vocab.image_methods, f)) return "image_method=" + f;
  if (In(vocab.laterality, f)) return "laterality=" + f;
  for (const auto& [key, values] : vocab.valued) {
    if (In(values, f)) return key + "=" + f;
  }
  return f;
}

FactSpec DescribeFact(std::string_view key) {
  const Vocabulary& vocab = Vocab();
  const auto& labels = coding::GetNoteLexicon().fact_labels;
  FactSpec spec;
  spec.key = std::string(key);
  auto label = labels.find(spec.key);
  spec.label = label != labels.end() ? label->second : spec.key;
  auto choice = [&](const std::vector<std::string>& values, bool many) {
    spec.kind = FactValueKind::kChoice;
    spec.values = values;
    spec.many = many;
  };
  if (In(vocab.yes_no_keys, key)) {
    spec.kind = FactValueKind::kYesNo;
  } else if (const auto* values = vocab.ValuesOf(key)) {
    choice(*values, false);
  } else if (key == "image_method") {
    choice(vocab.image_methods, true);
  } else if (key == "laterality") {
    choice(vocab.laterality, false);
  } else if (key == "spine_structure") {
    choice(vocab.structures, false);
  } else if (key == "spine_region") {
    choice(vocab.regions, true);
  } else if (key == "sex") {
    choice({"male", "female"}, false);
  } else if (key == "diagnosis") {
    spec.kind = FactValueKind::kCodes;
    spec.many = true;
  } else if (key == "levels" || key == "age" || key == "gestation_weeks") {
    spec.kind = FactValueKind::kNumber;
  } else {
    spec.kind = FactValueKind::kWords;  // site, technique, vertebrae ("T12,L1")
  }
  return spec;
}

Facts ExtractFacts(std::string_view note) { return coding::ReadNote(note).facts; }

}  // namespace clincode
