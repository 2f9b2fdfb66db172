#include "coder_kit.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "clincode/assistant.h"
#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "clincode/rules.h"

namespace clincode::kit {
namespace {

using nlohmann::json;

// The comparable form of a code: no dot, no X filler of an undivided category ("C61.X", "C61X" -> "C61").
std::string Key(std::string code) {
  std::erase(code, '.');
  if (code.size() == 4 && code[3] == 'X') code.pop_back();
  return code;
}

std::vector<std::string> Strings(const json& c, const char* field) {
  std::vector<std::string> out;
  if (c.contains(field)) {
    for (const auto& s : c[field]) out.push_back(s.get<std::string>());
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out.empty() ? "(none)" : out;
}

// A written diagnosis member is met by the code itself or one of its UK fifth-character forms.
bool Meets(const std::string& got, const std::string& member) {
  const std::string g = Key(got), m = Key(member);
  return g == m || (m.size() == 4 && g.size() == 5 && g.starts_with(m));
}

struct Verdict {
  bool first = true, procedures = true, diagnoses = true, questions = true;
  std::string detail;
  bool exact() const { return first && procedures && diagnoses && questions; }
};

Verdict Score(const json& c, const CodingResult& r) {
  Verdict v;
  std::vector<std::string> got, got_d;
  for (const auto& p : r.procedures) got.push_back(p.code);
  for (const auto& d : r.diagnoses) got_d.push_back(d.code);
  const auto must = Strings(c, "opcs_must"), may = Strings(c, "opcs_may");
  // First: the main procedure.
  const std::string first = c.value("opcs_first", must.empty() ? "" : must.front());
  if (got.empty() || Key(got.front()) != Key(first)) {
    v.first = false;
    v.detail += fmt::format("\n    first:      expected {}, got {}", first, got.empty() ? "(none)" : got.front());
  }
  // Every required code, in order; what is left must be acceptable.
  std::size_t j = 0;
  std::vector<std::string> extras;
  for (const auto& g : got) {
    if (j < must.size() && Key(g) == Key(must[j])) {
      ++j;
    } else if (std::none_of(may.begin(), may.end(), [&](const std::string& m) { return Key(m) == Key(g); })) {
      extras.push_back(g);
    }
  }
  std::vector<std::string> missing(must.begin() + static_cast<std::ptrdiff_t>(j), must.end());
  bool adjacent = true;
  if (c.contains("adjacent")) {
    for (const auto& pair : c["adjacent"]) {
      const std::string a = Key(pair[0].get<std::string>()), b = Key(pair[1].get<std::string>());
      bool found = false;
      for (std::size_t i = 0; i + 1 < got.size(); ++i) found = found || (Key(got[i]) == a && Key(got[i + 1]) == b);
      if (!found) {
        adjacent = false;
        v.detail += fmt::format("\n    adjacent:   {} must follow {} directly", pair[1].get<std::string>(),
                                pair[0].get<std::string>());
      }
    }
  }
  if (!missing.empty() || !extras.empty() || !adjacent) {
    v.procedures = false;
    v.detail += fmt::format("\n    procedures: expected {}{}\n                got      {}", Join(must),
                            may.empty() ? "" : " (may: " + Join(may) + ")", Join(got));
    if (!missing.empty()) v.detail += fmt::format("\n                missing or out of order: {}", Join(missing));
    if (!extras.empty()) v.detail += fmt::format("\n                extra: {}", Join(extras));
  }
  // Diagnoses: every group met by some code; every code in a group or acceptable.
  std::vector<std::vector<std::string>> groups;
  if (c.contains("icd_groups")) groups = c["icd_groups"].get<std::vector<std::vector<std::string>>>();
  const auto icd_may = Strings(c, "icd_may");
  std::vector<std::string> unmet, extra_d;
  for (const auto& group : groups) {
    bool met = std::any_of(got_d.begin(), got_d.end(), [&](const std::string& d) {
      return std::any_of(group.begin(), group.end(), [&](const std::string& m) { return Meets(d, m); });
    });
    if (!met) unmet.push_back(Join(group));
  }
  for (const auto& d : got_d) {
    bool known = std::any_of(icd_may.begin(), icd_may.end(), [&](const std::string& m) { return Meets(d, m); });
    for (const auto& group : groups) {
      known = known || std::any_of(group.begin(), group.end(), [&](const std::string& m) { return Meets(d, m); });
    }
    if (!known) extra_d.push_back(d);
  }
  if (!unmet.empty() || !extra_d.empty()) {
    v.diagnoses = false;
    std::vector<std::string> want;
    for (const auto& g : groups) want.push_back(g.size() == 1 ? g.front() : "(" + Join(g) + ")");
    v.detail += fmt::format("\n    diagnoses:  expected {}{}\n                got      {}",
                            c.value("icd_skip", false) ? "none stated" : Join(want),
                            icd_may.empty() ? "" : " (may: " + Join(icd_may) + ")", Join(got_d));
  }
  // A case with questions: the assistant must ask something.
  if (!Strings(c, "questions").empty() && r.questions.empty()) {
    v.questions = false;
    v.detail += fmt::format("\n    questions:  expected a question ({}), got none", Strings(c, "questions").front());
  }
  if (!v.exact()) {
    for (const auto& q : r.questions) v.detail += "\n    asked:    " + q.text;
    for (const auto& a : r.assumptions) v.detail += "\n    assumed:  " + a;
  }
  return v;
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(fmt::format("cannot open {}", path.string()));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int RunCoderKit(const CoderKitOptions& options) {
  auto text = ReadFile(options.kit_file);
  if (!text.ok()) {
    fmt::print(stderr, "case_runner: {}\n", text.status().message());
    return 2;
  }
  json kit;
  try {
    kit = json::parse(*text);
  } catch (const json::exception& e) {
    fmt::print(stderr, "case_runner: {}: {}\n", options.kit_file, e.what());
    return 2;
  }
  CatalogOptions catalog_options;
  catalog_options.release_paths = options.releases;
  auto catalog = Catalog::Load(catalog_options);
  auto guidance = GuidanceLibrary::Load({});
  auto rules = RuleSet::Load({});
  if (!catalog.ok() || !guidance.ok() || !rules.ok()) {
    fmt::print(stderr, "case_runner: {}\n",
               !catalog.ok() ? catalog.status().message() : "cannot load the built-in knowledge");
    return 2;
  }
  for (const auto& r : (*catalog)->releases()) fmt::print("release: {}\n", r->Name());
  auto validator = std::make_shared<const Validator>(*catalog, *rules, *guidance);
  CodingAssistant assistant(*catalog, *guidance, validator);
  const std::filesystem::path dir = std::filesystem::path(options.kit_file).parent_path();
  std::size_t total = 0, exact = 0, first = 0, procedures = 0, diagnoses = 0, questions = 0;
  std::set<std::string> lacking;
  if (!kit.contains("cases") || !kit["cases"].is_array()) {
    fmt::print(stderr, "case_runner: {}: no \"cases\" list\n", options.kit_file);
    return 2;
  }
  for (const auto& c : kit["cases"]) {
    ++total;
    for (const char* field : {"guidance", "text"}) {
      if (!c.contains(field) || !c[field].is_string()) {
        fmt::print(stderr, "case_runner: {}: case {} ({}) has no \"{}\" text\n", options.kit_file, total,
                   c.value("id", "no id"), field);
        return 2;
      }
    }
    const std::string id = c.value("id", fmt::format("case {}", total));
    const std::string source = (dir / c.at("guidance").get<std::string>()).string();
    auto content = ReadFile(source);
    if (!content.ok()) {
      fmt::print(stderr, "case_runner: {}: {}\n", id, content.status().message());
      return 2;
    }
    CodingRequest request;
    request.text = c.at("text").get<std::string>();
    auto rec = ReadRecommendationText(*content, {source, catalog->get()});
    if (!rec.ok()) {
      fmt::print("MISS {}: {}\n", id, rec.status().message());
      continue;
    }
    request.recommendation = std::move(rec).value();
    auto result = assistant.Code(request);
    if (!result.ok()) {
      fmt::print("MISS {}: {}\n", id, result.status().message());
      continue;
    }
    Verdict v;
    try {
      v = Score(c, *result);
    } catch (const json::exception& e) {
      fmt::print(stderr, "case_runner: {}: case {}: {}\n", options.kit_file, id, e.what());
      return 2;
    }
    exact += v.exact() ? 1 : 0;
    first += v.first ? 1 : 0;
    procedures += v.procedures ? 1 : 0;
    diagnoses += v.diagnoses ? 1 : 0;
    questions += v.questions ? 1 : 0;
    if (!v.exact()) {
      fmt::print("MISS {} ({}){}\n    note: {}\n", id, c.at("guidance").get<std::string>(), v.detail, request.text);
    } else if (options.verbose) {
      fmt::print("ok   {}\n", id);
    }
    auto check = [&](const std::string& code, CodeSystem system) {
      auto hits = (*catalog)->Lookup(code, system);
      if (!hits.ok() || hits->empty()) lacking.insert(code);
    };
    for (const char* f : {"opcs_must", "opcs_may"}) {
      for (const auto& code : Strings(c, f)) check(code, CodeSystem::kOpcs4);
    }
    if (c.contains("icd_groups")) {
      for (const auto& g : c["icd_groups"]) {
        for (const auto& code : g) check(code.get<std::string>(), CodeSystem::kIcd10);
      }
    }
  }
  if (!lacking.empty()) {
    fmt::print("expected codes the loaded releases lack ({}): {}\n", lacking.size(),
               Join(std::vector<std::string>(lacking.begin(), lacking.end())));
  }
  auto rate = [&](std::size_t n) { return total == 0 ? 0.0 : 100.0 * static_cast<double>(n) / total; };
  fmt::print("main procedure: {}/{} ({:.1f}%)\n", first, total, rate(first));
  fmt::print("procedures:     {}/{} ({:.1f}%)\n", procedures, total, rate(procedures));
  fmt::print("diagnoses:      {}/{} ({:.1f}%)\n", diagnoses, total, rate(diagnoses));
  fmt::print("questions:      {}/{} ({:.1f}%)\n", questions, total, rate(questions));
  fmt::print("exact match: {}/{} cases ({:.1f}%)\n", exact, total, rate(exact));
  const std::size_t floor = options.min_exact < 0 ? total : static_cast<std::size_t>(options.min_exact);
  return exact >= floor ? 0 : 1;
}

}  // namespace clincode::kit
