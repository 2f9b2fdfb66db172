#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "clincode/search.h"
#include "commands.h"
#include "json_output.h"
#include "util/text.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares
namespace {

struct SearchArgs {
  std::vector<std::string> words;
  std::string system;
  std::string within;
  std::size_t limit = 20;
  bool no_typos = false;
};

}  // namespace

std::function<int(const GlobalFlags&)> SetupSearch(CLI::App* cmd) {
  auto args = std::make_shared<SearchArgs>();
  cmd->add_option("query", args->words, "Words, word prefixes or a code (prefix)")->required();
  cmd->add_option("--system", args->system,
                  "Only this system: opcs4, icd10, icd10cm, cpt; or all (with UK releases loaded, the default "
                  "searches OPCS-4 and ICD-10 only)");
  cmd->add_option("--within", args->within, "Only this code and its descendants, e.g. V44 or \"Chapter K\"");
  cmd->add_option("--limit", args->limit, "At most this many results (1-1000)")->capture_default_str();
  cmd->add_flag("--no-typos", args->no_typos, "Do not allow one typo in words of five letters or more");
  return [args](const GlobalFlags& flags) {
    SearchOptions options;
    options.within = args->within;
    options.limit = args->limit;
    options.typo_tolerance = !args->no_typos;
    if (args->system == "all") {
      options.all_systems = true;
    } else if (!args->system.empty()) {
      auto s = ParseLoadableSystem(flags, args->system);
      if (!s) return kExitUsage;
      options.system = *s;
    }
    bool blank = true;
    for (const auto& w : args->words) blank = blank && text::Trim(w).empty();
    if (blank) {
      PrintError(flags, "search needs words or a code: clincode search \"heart failure\"");
      return kExitUsage;
    }
    auto catalog = LoadCatalog(flags);
    if (!catalog) return kExitFailure;
    auto index = SearchIndex::Build(catalog);
    std::string query;
    for (const auto& w : args->words) query += (query.empty() ? "" : " ") + w;
    auto hits = index->Search(query, options);
    if (!hits.ok()) {
      PrintError(flags, hits.status().message());
      return hits.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
    }
    if (flags.json) {
      std::cout << shapes::Dump(nlohmann::json::parse(SearchHitsJson(*hits)), 2) << "\n";
      return kExitOk;
    }
    if (hits->empty()) fmt::print("no results for \"{}\"\n", query);
    bool partial = false;
    for (const auto& h : *hits) {
      if (h.kind == MatchKind::kPartial && !partial) {
        fmt::print("-- no title has every word; titles with the most of them:\n");
        partial = true;
      }
      std::string extra = h.matched_term.empty() ? "" : fmt::format("  (matched: {})", h.matched_term);
      if (!h.via_term.empty()) extra += fmt::format("  ({} = {})", h.via_term, h.via_meaning);
      fmt::print("{:<10} {:<9} {}{}{}\n", CodeSystemName(h.release->system()), h.entry().code,
                 h.recordable ? "" : "[category] ", h.entry().title, extra);
    }
    std::string searched, not_searched;
    auto in = index->Searched(options);
    for (const auto& r : catalog->releases()) {
      bool yes = std::find(in.begin(), in.end(), r.get()) != in.end();
      std::string& list = yes ? searched : not_searched;
      list += (list.empty() ? "" : "; ") + r->Name();
    }
    fmt::print("-- searched: {}\n", searched);
    if (!not_searched.empty() && !options.system) {
      fmt::print("-- not searched: {} (--system all or --system NAME)\n", not_searched);
    }
    return kExitOk;
  };
}

}  // namespace clincode::cli
