#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "clincode/normalise.h"
#include "code_lookup.h"
#include "commands.h"
#include "json_output.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares
namespace {

struct LookupArgs {
  std::vector<std::string> codes;
  std::string system;
};

void PrintText(const Release& release, std::uint32_t id, const std::string& pattern) {
  const CodeEntry& e = release.at(id);
  fmt::print("{}  {}\n", e.code, e.title);
  if (!pattern.empty()) fmt::print("  pattern:   {} (any code of category {})\n", pattern, e.code);
  fmt::print("  system:    {}   release: {}\n", CodeSystemName(release.system()), release.Name());
  fmt::print("  kind:      {}", CodeKindName(e.kind));
  if (e.kind == CodeKind::kCategory || e.kind == CodeKind::kCode) {
    fmt::print("   record form: {}", CdsForm(release.system(), e.code, e.flags.undivided, e.flags.usage));
  }
  fmt::print("\n");
  std::string path;
  for (std::uint32_t a : release.Ancestors(id)) {
    path += (path.empty() ? "" : " > ") + release.at(a).code + " " + release.at(a).title;
  }
  if (!path.empty()) fmt::print("  path:      {}\n", path);
  auto children = release.Children(id);
  if (!children.empty()) {
    fmt::print("  children:\n");
    for (std::uint32_t c : children) fmt::print("    {:<8} {}\n", release.at(c).code, release.at(c).title);
  }
  nlohmann::json flags = CodeJson(release, id)["flags"];
  std::string set;
  for (auto& [k, v] : flags.items()) {
    if (v.is_boolean() && v.get<bool>()) set += (set.empty() ? "" : ", ") + k;
    if (v.is_array()) {  // asterisk_partners=I41.2 or I98.1
      std::string list;
      for (const auto& each : v) list += (list.empty() ? "" : " or ") + each.get<std::string>();
      if (!list.empty()) set += (set.empty() ? "" : ", ") + k + "=" + list;
      continue;
    }
    if (!v.is_boolean() && !v.is_null())
      set += (set.empty() ? "" : ", ") + k + "=" + (v.is_string() ? v.get<std::string>() : shapes::Dump(v));
  }
  fmt::print("  flags:     {}\n", set.empty() ? "-" : set);
  for (const Note& n : e.notes) fmt::print("  {}: {}\n", NoteKindName(n.kind), n.text);
}

}  // namespace

std::function<int(const GlobalFlags&)> SetupLookup(CLI::App* cmd) {
  auto args = std::make_shared<LookupArgs>();
  cmd->add_option("codes", args->codes, "Codes in any usual form: K57.8, K578, C61X, A170D, opcs4:K57.8, C18.-")
      ->required();
  cmd->add_option("--system", args->system, "Only this system: opcs4, icd10, icd10cm, cpt");
  return [args](const GlobalFlags& flags) {
    std::optional<CodeSystem> system;
    if (!args->system.empty()) {
      system = ParseLoadableSystem(flags, args->system);
      if (!system) return kExitUsage;
    }
    auto catalog = LoadCatalog(flags);
    if (!catalog) return kExitFailure;
    int exit_code = kExitOk;
    nlohmann::json out = nlohmann::json::array();
    for (const std::string& input : args->codes) {
      auto found = LookupCodeOrPattern(*catalog, input, system);
      if (!found.ok()) {
        exit_code = kExitFailure;
        if (flags.json)
          out.push_back({{"input", input}, {"error", found.status().message()}});
        else
          fmt::print(stderr, "clincode: {}\n", found.status().message());
        continue;
      }
      const std::string& pattern = found->pattern;
      for (const auto& h : found->hits) {
        if (flags.json) {
          nlohmann::json j = CodeJson(*h.release, h.id);
          j["input"] = input;
          if (!pattern.empty()) j["pattern"] = pattern;
          out.push_back(std::move(j));
        } else {
          PrintText(*h.release, h.id, pattern);
          fmt::print("\n");
        }
      }
    }
    if (flags.json) std::cout << shapes::Dump(out, 2) << "\n";
    return exit_code;
  };
}

}  // namespace clincode::cli
