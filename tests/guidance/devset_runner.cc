// Reads every published recommendation text of the development set (../shared/nice-dev/texts) and compares
// what the reader got with expected.json by the conventions of FORMS.md §10: OPCS-4 and ICD-10 codes exact
// per classification (written without the dot, wildcards and X padding dropped, ranges expanded to their
// categories), and, where `groups` is given, the Or-partition of the OPCS-4 codes in text order; and the
// reading must survive being written as a curated YAML file and as a markdown page and read again. Prints
// the rate over the complete texts, the rate over the partial ones, and every miss.
//
//   devset_runner NICE_DEV_DIR [--min-exact N] [--verbose]
//
// Exit 0 when at least N complete texts are exact (all of them when N is not given), 1 when fewer, 2 when
// the set cannot be read, 77 (a skip for ctest) when the folder is absent.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"

namespace {

using nlohmann::json;
using Partition = std::vector<std::vector<std::string>>;

// "Y53.-" -> {"Y53"}, "K57.8" -> {"K578"}, "C71-C74" -> {"C71", "C72", "C73", "C74"}, "C61.X" -> {"C61"}.
std::vector<std::string> Written(const std::string& pattern) {
  std::string p = pattern;
  std::size_t dash = p.find('-');
  if (dash != std::string::npos && dash + 1 < p.size() && dash == 3) {  // a range of categories
    std::vector<std::string> out;
    const int from = std::stoi(p.substr(1, 2)), to = std::stoi(p.substr(dash + 2, 2));
    for (int n = from; n <= to && n - from < 100; ++n) out.push_back(fmt::format("{}{:02}", p[0], n));
    return out;
  }
  std::string out;
  for (char c : p) {
    if (c != '.' && c != '-') out.push_back(c);
  }
  if (out.size() == 4 && out[3] == 'X') out.pop_back();
  return {out};
}

struct Read {
  std::set<std::string> opcs, icd;
  Partition groups;  // the OPCS-4 groups of a recommendation with one way of coding; empty when scenarios
  bool scenarios = false;
};

void AddGroups(const std::vector<clincode::Group>& groups, std::set<std::string>* codes, Partition* partition) {
  for (const clincode::Group& g : groups) {
    std::vector<std::string> part;
    for (const std::string& p : g.any_of) {
      for (std::string& c : Written(p)) {
        codes->insert(c);
        part.push_back(std::move(c));
      }
    }
    if (partition != nullptr && !part.empty()) partition->push_back(std::move(part));
  }
}

// The Or-partition of a section with scenarios, as FORMS.md §10 writes it: one scenario adds its groups to
// the section's; scenarios of one group each are one requirement (one of their codes); others have none.
bool ScenarioPartition(const clincode::Section& s, Partition* partition) {
  if (s.scenarios.size() == 1) {
    std::set<std::string> ignored;
    AddGroups(s.scenarios[0].groups, &ignored, partition);
    return true;
  }
  std::vector<std::string> one;
  for (const clincode::Scenario& sc : s.scenarios) {
    if (sc.groups.size() != 1) return false;
    for (const std::string& p : sc.groups[0].any_of) {
      for (std::string& c : Written(p)) one.push_back(std::move(c));
    }
  }
  partition->push_back(std::move(one));
  return true;
}

Read Collect(const clincode::Recommendation& r) {
  Read out;
  for (const clincode::Section& s : r.sections) {
    std::set<std::string>* codes = s.classification == clincode::CodeSystem::kOpcs4   ? &out.opcs
                                   : s.classification == clincode::CodeSystem::kIcd10 ? &out.icd
                                                                                      : nullptr;
    if (codes == nullptr) continue;
    const bool opcs = s.classification == clincode::CodeSystem::kOpcs4;
    AddGroups(s.groups, codes, opcs ? &out.groups : nullptr);
    for (const clincode::Scenario& sc : s.scenarios) AddGroups(sc.groups, codes, nullptr);
    if (opcs && !s.scenarios.empty()) out.scenarios = !ScenarioPartition(s, &out.groups);
  }
  return out;
}

std::string Show(const std::set<std::string>& s) { return s.empty() ? "(none)" : fmt::format("{}", fmt::join(s, " ")); }
std::string Show(const Partition& p) {
  std::string out;
  for (const auto& g : p) out += fmt::format("[{}]", fmt::join(g, " "));
  return out.empty() ? "(none)" : out;
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What is lost when the reading is written as a curated YAML file or a markdown page and read again.
std::string RoundTrips(const clincode::Recommendation& r) {
  std::string miss, why;
  auto yaml = clincode::ReadRecommendationYaml(clincode::WriteRecommendationYaml(r), "yaml");
  if (!yaml.ok()) {
    miss += "\n    YAML round trip: " + yaml.status().message();
  } else if (!clincode::SameStructure(r, *yaml, &why)) {
    miss += "\n    YAML round trip: " + why;
  }
  auto page = clincode::ReadRecommendationText(clincode::RenderMarkdown(r, nullptr), {"markdown"});
  if (!page.ok()) {
    miss += "\n    markdown round trip: " + page.status().message();
  } else if (!clincode::SameStructure(r, *page, &why)) {
    miss += "\n    markdown round trip: " + why;
  }
  return miss;
}

// What is wrong with the reading of one text; empty when it is exact.
std::string Compare(const json& want, const clincode::Result<clincode::Recommendation>& got) {
  if (!got.ok()) return "\n    error: " + got.status().message();
  Read r = Collect(*got);
  std::string miss = RoundTrips(*got);
  auto want_set = [&](const char* key) {
    std::set<std::string> s;
    for (const auto& c : want[key]) s.insert(c.get<std::string>());
    return s;
  };
  auto opcs = want_set("opcs_must"), icd = want_set("icd_must");
  if (r.opcs != opcs)
    miss += fmt::format("\n    OPCS-4: expected {}\n            got      {}", Show(opcs), Show(r.opcs));
  if (r.icd != icd) miss += fmt::format("\n    ICD-10: expected {}\n            got      {}", Show(icd), Show(r.icd));
  if (want["groups"].is_array()) {
    Partition groups = want["groups"].get<Partition>();
    if (r.scenarios) {
      miss += "\n    groups: expected one way of coding, got scenarios";
    } else if (r.groups != groups) {
      miss += fmt::format("\n    groups: expected {}\n            got      {}", Show(groups), Show(r.groups));
    }
  }
  return miss;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: devset_runner NICE_DEV_DIR [--min-exact N] [--verbose]\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  long min_exact = -1;
  bool verbose = false;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--verbose") verbose = true;
    if (a == "--min-exact" && i + 1 < argc) min_exact = std::stol(argv[++i]);
  }
  if (!std::filesystem::is_directory(dir / "texts")) {
    fmt::print("devset_runner: {} is not present: the development set is skipped\n", dir.string());
    return 77;
  }
  json expected;
  try {
    expected = json::parse(Slurp(dir / "expected.json"));
  } catch (const std::exception& e) {
    fmt::print(stderr, "devset_runner: {}: {}\n", (dir / "expected.json").string(), e.what());
    return 2;
  }
  std::size_t complete = 0, complete_exact = 0, partial = 0, partial_exact = 0, unparsed = 0;
  for (const auto& [id, want] : expected.items()) {
    if (id.front() == '_') continue;
    const std::filesystem::path path = dir / "texts" / (id + ".txt");
    const std::string text = Slurp(path);
    if (text.empty()) {
      fmt::print(stderr, "devset_runner: {} is missing or empty\n", path.string());
      return 2;
    }
    auto got = clincode::ReadRecommendationText(text, {path.string()});
    const bool is_partial = want.contains("completeness");
    const std::string miss = Compare(want, got);
    (is_partial ? partial : complete) += 1;
    if (miss.empty()) (is_partial ? partial_exact : complete_exact) += 1;
    if (got.ok()) unparsed += got->unparsed.size();
    if (!miss.empty()) {
      fmt::print("MISS {}{}{}\n", id, is_partial ? " (partial copy)" : "", miss);
    } else if (verbose) {
      fmt::print("ok   {}\n", id);
    }
    if (verbose && got.ok()) {
      for (const auto& u : got->unparsed) fmt::print("    unparsed {}\n", u);
    }
  }
  fmt::print("complete texts exact: {}/{} ({:.1f}%)\n", complete_exact, complete,
             complete == 0 ? 0.0 : 100.0 * complete_exact / complete);
  fmt::print("partial texts exact:  {}/{}\n", partial_exact, partial);
  fmt::print("lines left unparsed:  {}\n", unparsed);
  const std::size_t floor = min_exact < 0 ? complete : static_cast<std::size_t>(min_exact);
  return complete_exact >= floor ? 0 : 1;
}
