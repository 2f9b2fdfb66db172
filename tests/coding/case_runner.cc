// Runs the coding assistant's evaluation kits:
//   case_runner tests/cases [--verbose]
//     the project kit (tests/cases/*.yaml): codes every note with the built-in data, compares the codes
//     with the expected ones in order, and prints the exact-match rate and every miss. Exit 0 when every
//     case matches, 1 when one misses, 2 when the kit cannot be read.
//   case_runner KIT.json [--release PATH]... [--min-exact N] [--verbose]
//     a kit in the format of ../shared/nice-dev/CODER_CASES.md, each note coded against the recommendation
//     text it names, read on the fly with the given releases loaded (coder_kit.h). Exit 77 (a skip for
//     ctest) when KIT.json is absent.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "clincode/assistant.h"
#include "coder_kit.h"

namespace {

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out.empty() ? "(none)" : out;
}

std::vector<std::string> Strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n) {
    for (const auto& x : n) out.push_back(x.as<std::string>());
  }
  return out;
}

struct Outcome {
  bool pass;
  std::string detail;
};

Outcome RunCase(const clincode::CodingAssistant& assistant, const YAML::Node& c) {
  clincode::CodingRequest request;
  request.text = c["note"].as<std::string>();
  if (c["guidance"]) request.guidance_id = c["guidance"].as<std::string>();
  request.facts = Strings(c["facts"]);
  if (c["system"]) {
    auto s = clincode::ParseCodeSystem(c["system"].as<std::string>());
    if (s.ok()) request.system = *s;
  }
  const std::string found = c["found"] ? c["found"].as<std::string>() : "";
  auto result = assistant.Code(request);
  if (found == "none") {
    return result.ok() ? Outcome{false, fmt::format("expected no recommendation, got {}", result->guidance)}
                       : Outcome{true, ""};
  }
  if (!result.ok()) return {false, "error: " + result.status().message()};
  std::vector<std::string> procedures, diagnoses;
  for (const auto& p : result->procedures) procedures.push_back(p.code);
  for (const auto& d : result->diagnoses) diagnoses.push_back(d.code);
  std::string detail;
  if (!found.empty() && result->guidance != found)
    detail += fmt::format("\n    guidance: expected {}, got {}", found, result->guidance);
  auto want_p = Strings(c["procedures"]), want_d = Strings(c["diagnoses"]);
  if (procedures != want_p)
    detail += fmt::format("\n    procedures: expected {}\n                got      {}", Join(want_p), Join(procedures));
  if (diagnoses != want_d)
    detail += fmt::format("\n    diagnoses:  expected {}\n                got      {}", Join(want_d), Join(diagnoses));
  if (!detail.empty()) {
    for (const auto& q : result->questions) detail += "\n    question: " + q.text;
    for (const auto& a : result->assumptions) detail += "\n    assumed:  " + a;
  }
  return {detail.empty(), detail};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: case_runner DIR [--verbose]\n");
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  if (dir.extension() == ".json") {
    clincode::kit::CoderKitOptions options;
    options.kit_file = dir.string();
    for (int i = 2; i < argc; ++i) {
      const std::string a = argv[i];
      if (a == "--verbose") {
        options.verbose = true;
      } else if ((a == "--release" || a == "--min-exact") && i + 1 < argc) {
        if (a == "--release")
          options.releases.push_back(argv[++i]);
        else
          options.min_exact = std::atoi(argv[++i]);
      } else {
        fmt::print(stderr, "case_runner: unknown argument {}\n", a);
        return 2;
      }
    }
    std::error_code exists;
    if (!std::filesystem::exists(dir, exists)) {
      fmt::print("skipped: {} is absent (the nice-dev kit lives in ../shared/nice-dev)\n", dir.string());
      return 77;
    }
    for (const auto& r : options.releases) {
      if (!std::filesystem::exists(r, exists)) {
        fmt::print("skipped: release {} is absent (the open releases live in ../shared/data)\n", r);
        return 77;
      }
    }
    return clincode::kit::RunCoderKit(options);
  }
  const bool verbose = argc > 2 && std::string(argv[2]) == "--verbose";
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  if (ec || files.empty()) {
    fmt::print(stderr, "case_runner: no *.yaml cases in {}\n", dir.string());
    return 2;
  }
  std::sort(files.begin(), files.end());
  auto catalog = clincode::Catalog::Starter();
  auto guidance = clincode::GuidanceLibrary::Load({});
  auto rules = clincode::RuleSet::Load({});
  if (!guidance.ok() || !rules.ok()) {
    fmt::print(stderr, "case_runner: cannot load the built-in knowledge\n");
    return 2;
  }
  auto validator = std::make_shared<const clincode::Validator>(catalog, *rules, *guidance);
  clincode::CodingAssistant assistant(catalog, *guidance, validator);
  std::size_t total = 0, passed = 0;
  for (const auto& file : files) {
    YAML::Node doc;
    try {
      doc = YAML::LoadFile(file.string());
    } catch (const YAML::Exception& e) {
      fmt::print(stderr, "case_runner: {}: {}\n", file.string(), e.what());
      return 2;
    }
    for (const auto& c : doc["cases"]) {
      ++total;
      Outcome o = RunCase(assistant, c);
      passed += o.pass ? 1 : 0;
      const std::string id = c["id"].as<std::string>();
      if (!o.pass) {
        fmt::print("MISS {} ({}){}\n    note: {}\n", id, file.filename().string(), o.detail,
                   c["note"].as<std::string>());
      } else if (verbose) {
        fmt::print("ok   {}\n", id);
      }
    }
  }
  fmt::print("exact match: {}/{} cases ({:.1f}%)\n", passed, total, total == 0 ? 0.0 : 100.0 * passed / total);
  return passed == total ? 0 : 1;
}
