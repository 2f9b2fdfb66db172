// `clincode match FILE`: which episodes of an extract are which recommended procedures, coded how fully.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "clincode/matcher.h"
#include "coding_json.h"
#include "commands.h"
#include "csv_field.h"
#include "json_output.h"
#include "line_sink.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares
namespace {

struct MatchArgs {
  std::string file, out, summary;
  std::vector<std::string> guidance;
  unsigned threads = 0;
};

void PrintSummary(const MatchSummary& s) {
  fmt::print("{:<10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}  {}\n", "guidance", "matched", "full", "partial", "none",
             "certain", "likely", "possible", "title");
  for (const auto& [id, c] : s.per_guidance) {
    fmt::print("{:<10} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}  {}\n", id, c.matched, c.full, c.partial, c.none,
               c.certain, c.likely, c.possible, s.titles.at(id));
    for (const auto& [group, n] : c.missing) fmt::print("{:<10} {:>9} episodes without {}\n", "", n, group);
  }
}

}  // namespace

std::function<int(const GlobalFlags&)> SetupMatch(CLI::App* cmd) {
  auto args = std::make_shared<MatchArgs>();
  cmd->add_option("file", args->file, "HES-like CSV or JSON lines of coded episodes")->required();
  cmd->add_option("--guidance", args->guidance, "Only these recommendations (repeatable); all when absent")
      ->allow_extra_args(false);
  cmd->add_option("--out", args->out, "One row per episode matched: .csv or .jsonl");
  cmd->add_option("--summary", args->summary, "Summary JSON per recommendation: matched, full, partial, none");
  cmd->add_option("--threads", args->threads, "Worker threads (0: one per core)");
  return [args](const GlobalFlags& flags) {
    auto guidance = LoadGuidance(flags);
    auto rules = guidance ? LoadRules(flags) : nullptr;
    if (!rules) return kExitFailure;
    auto matcher = GuidanceMatcher::Create(guidance, rules.get(), args->guidance);
    if (!matcher.ok()) {
      PrintError(flags, matcher.status().message());
      return kExitUsage;
    }
    std::ofstream file_out;
    std::optional<LineSink<MatchSink, EpisodeMatches>> sink;
    if (!args->out.empty()) {
      file_out.open(args->out, std::ios::binary);
      if (!file_out) {
        PrintError(flags, fmt::format("cannot write {}", args->out));
        return kExitFailure;
      }
      const bool csv = !args->out.ends_with(".jsonl");
      sink.emplace(MatchLines, csv, ToStream(&file_out));
      if (csv) sink->WriteText(std::string(kMatchCsvHeader) + "\n");
    }
    ValidateOptions options;
    options.threads = args->threads;
    auto summary = MatchFile(args->file, **matcher, sink ? &*sink : nullptr, options);
    if (!summary.ok()) {
      PrintError(flags, summary.status().message());
      return kExitFailure;
    }
    file_out.flush();
    if (!args->summary.empty() && !WriteFile(flags, args->summary, MatchSummaryJson(*summary) + "\n"))
      return kExitFailure;
    if (flags.json) {
      std::cout << MatchSummaryJson(*summary) << "\n";
    } else {
      PrintSummary(*summary);
    }
    fmt::print(stderr, "{} rows read: {} episodes, {} unreadable; {} episodes matched a recommendation in {:.2f} s\n",
               summary->rows_read, summary->episodes, summary->rows_unreadable, summary->episodes_matched,
               summary->seconds);
    return kExitOk;
  };
}

}  // namespace clincode::cli
