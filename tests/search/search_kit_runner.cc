// Runs the search-quality kit (tests/search/kit/queries.yaml) over the open releases of ../shared/data:
// prints success@1 (the first hit is one a coder accepts first), success@10 (one of them is in the first ten,
// with every `top10` code), the mean reciprocal rank of the first accepted hit, and every miss with the hits
// that came first.
//
//   search_kit_runner KIT.yaml --data DIR [--min-at1 P] [--min-at10 P] [--verbose]
//
// Exit 0 when both rates reach their floors (percent), 1 when one does not, 2 when the kit or a release
// cannot be read, 77 (a skip for ctest) when DIR is absent.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/search.h"

namespace {

using clincode::CodeSystem;

struct Query {
  std::string q;
  std::optional<CodeSystem> system;
  std::vector<std::string> first, top10;
};

// "W19.-" accepts W19 and every code below it; any other code only itself.
bool Accepts(const std::string& expected, const std::string& code) {
  if (expected.size() == 5 && expected.ends_with(".-")) return code.compare(0, 3, expected, 0, 3) == 0;
  return code == expected;
}

bool UkSystem(CodeSystem s) { return s == CodeSystem::kOpcs4 || s == CodeSystem::kIcd10; }

std::string HitText(const clincode::SearchHit& h) {
  return fmt::format("{} {} [{}]", h.entry().code, h.entry().title, clincode::CodeSystemName(h.release->system()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: search_kit_runner KIT.yaml --data DIR [--min-at1 P] [--min-at10 P] [--verbose]\n");
    return 2;
  }
  std::string kit_file = argv[1], data;
  double min_at1 = 0, min_at10 = 0;
  bool verbose = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--verbose") {
      verbose = true;
    } else if (i + 1 < argc && a == "--data") {
      data = argv[++i];
    } else if (i + 1 < argc && a == "--min-at1") {
      min_at1 = std::atof(argv[++i]);
    } else if (i + 1 < argc && a == "--min-at10") {
      min_at10 = std::atof(argv[++i]);
    } else {
      fmt::print(stderr, "search_kit_runner: unknown argument {}\n", a);
      return 2;
    }
  }
  const std::vector<std::string> files = {
      data + "/opcs4-ukb-coding240/coding240.tsv",       data + "/icd10-who-2019/icd_10_v2019.xml",
      data + "/icd10cm-2021/icd10cm-order-Jan-2021.txt", data + "/icd10cm-2021/icd10cm_tabular_2021.xml",
      data + "/icd10cm-2021/icd10cm_eindex_2021.xml",    data + "/icd10cm-2021/icd10cm_neoplasm_2021.xml",
      data + "/icd10cm-2021/icd10cm_drug_2021.xml"};
  for (const auto& f : files) {
    std::error_code ec;
    if (!std::filesystem::exists(f, ec)) {
      fmt::print("skipped: {} is absent (the open releases live in ../shared/data)\n", f);
      return 77;
    }
  }
  std::vector<Query> queries;
  try {
    YAML::Node doc = YAML::LoadFile(kit_file);
    for (const auto& n : doc["queries"]) {
      Query q{n["q"].as<std::string>(), std::nullopt, {}, {}};
      if (n["system"]) {
        auto s = clincode::ParseCodeSystem(n["system"].as<std::string>());
        if (!s.ok()) {
          fmt::print(stderr, "search_kit_runner: {}: query \"{}\": {}\n", kit_file, q.q, s.status().message());
          return 2;
        }
        q.system = *s;
      }
      if (n["first"]) q.first = n["first"].as<std::vector<std::string>>();
      if (n["top10"]) q.top10 = n["top10"].as<std::vector<std::string>>();
      if (q.first.empty()) {
        fmt::print(stderr, "search_kit_runner: {}: query \"{}\" has no accepted first codes\n", kit_file, q.q);
        return 2;
      }
      queries.push_back(std::move(q));
    }
  } catch (const YAML::Exception& e) {
    fmt::print(stderr, "search_kit_runner: {}: {}\n", kit_file, e.what());
    return 2;
  }
  clincode::CatalogOptions options;
  options.release_paths = files;
  auto catalog = clincode::Catalog::Load(options);
  if (!catalog.ok()) {
    fmt::print(stderr, "search_kit_runner: {}\n", catalog.status().message());
    return 2;
  }
  auto index = clincode::SearchIndex::Build(*catalog);
  std::size_t at1 = 0, at10 = 0;
  double rr = 0;
  for (const auto& q : queries) {
    clincode::SearchOptions so;
    so.system = q.system;
    so.limit = 20;
    auto hits = index->Search(q.q, so);
    if (!hits.ok()) {
      fmt::print("MISS \"{}\": {}\n", q.q, hits.status().message());
      continue;
    }
    auto accepted = [&](const clincode::SearchHit& h, const std::vector<std::string>& codes) {
      const bool system_ok = q.system ? h.release->system() == *q.system : UkSystem(h.release->system());
      return system_ok &&
             std::any_of(codes.begin(), codes.end(), [&](const std::string& e) { return Accepts(e, h.entry().code); });
    };
    std::size_t rank = 0;
    for (std::size_t i = 0; i < hits->size() && rank == 0; ++i) {
      if (accepted((*hits)[i], q.first)) rank = i + 1;
    }
    bool top10 = std::all_of(q.top10.begin(), q.top10.end(), [&](const std::string& code) {
      for (std::size_t i = 0; i < hits->size() && i < 10; ++i) {
        if (accepted((*hits)[i], {code})) return true;
      }
      return false;
    });
    const bool one = rank == 1, ten = rank >= 1 && rank <= 10 && top10;
    at1 += one ? 1 : 0;
    at10 += ten ? 1 : 0;
    rr += rank >= 1 ? 1.0 / static_cast<double>(rank) : 0.0;
    if (!one || verbose) {
      std::string shown;
      for (std::size_t i = 0; i < hits->size() && i < 3; ++i) shown += "\n      " + HitText((*hits)[i]);
      std::string want;
      for (const auto& c : q.first) want += (want.empty() ? "" : " ") + c;
      fmt::print("{} \"{}\" (want {}): {}{}\n",
                 one   ? "ok  "
                 : ten ? "TOP10"
                       : "MISS",
                 q.q, want, rank == 0 ? "not in the first 20" : fmt::format("first accepted at {}", rank),
                 hits->empty() ? " (no hits)" : shown);
    }
  }
  const double n = static_cast<double>(queries.size());
  const double p1 = 100.0 * at1 / n, p10 = 100.0 * at10 / n;
  fmt::print("queries: {}\nsuccess@1:  {}/{} ({:.1f}%)\nsuccess@10: {}/{} ({:.1f}%)\nMRR: {:.3f}\n", queries.size(),
             at1, queries.size(), p1, at10, queries.size(), p10, rr / n);
  return p1 + 1e-9 >= min_at1 && p10 + 1e-9 >= min_at10 ? 0 : 1;
}
