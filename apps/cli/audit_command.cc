// `clincode audit ORIGINAL AUDITED`: the coder's episodes against the auditor's, scored by the NHS coding
// audit methodology.
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "audit_json.h"
#include "clincode/audit.h"
#include "commands.h"
#include "line_sink.h"

namespace clincode::cli {
namespace {

struct AuditArgs {
  std::string original, audited, key, out, summary, report, profile = "igt";
  unsigned threads = 0;
};

void PrintFigures(const AuditSummary& s, const AttainmentProfile& p) {
  fmt::print(stderr, "{} audited; {} only in the original, {} only in the audited; {} not read; {} in {:.2f} s\n",
             Counted(s.episodes_audited, "episode", "episodes"), s.unmatched_original, s.unmatched_audited,
             Counted(s.unreadable_original + s.unreadable_audited, "row", "rows"),
             Counted(s.code_errors, "code error", "code errors"), s.seconds);
  for (AuditCodeType t : kAuditCodeTypes) {
    const AuditFigure& f = s.figures.of(t);
    const std::string level = p.LevelReached(t, f);
    fmt::print(stderr, "  {:<21} {:>7.2f}%  {} of {}  {}\n", AuditCodeTypeTitle(t), f.Percent(), f.correct, f.total,
               level.empty() ? "below " + p.levels.front().name : level);
  }
  const std::string all = p.LevelReachedByAll(s.figures);
  fmt::print(stderr, "  {}: {}\n", p.title, all.empty() ? "no level reached by all four figures" : all + " (all four)");
}

}  // namespace

std::function<int(const GlobalFlags&)> SetupAudit(CLI::App* cmd) {
  auto args = std::make_shared<AuditArgs>();
  cmd->add_option("original", args->original, "The coder's episodes: HES-like CSV or JSON lines")->required();
  cmd->add_option("audited", args->audited, "The auditor's re-coding of the same episodes, in either form")->required();
  cmd->add_option("--key", args->key, "The column both files are joined on (default EPIKEY)");
  cmd->add_option("--out", args->out, "Errors file: .csv or .jsonl; standard output when absent");
  cmd->add_option("--summary", args->summary, "Summary JSON: the four figures, attainment, errors by kind, breakdowns");
  cmd->add_option("--report", args->report, "Self-contained HTML report for the coding manager");
  cmd->add_option("--profile", args->profile, "Attainment levels: igt (IG Toolkit levels 2 and 3) or dspt");
  cmd->add_option("--threads", args->threads, "Worker threads (0: one per core)");
  return [args](const GlobalFlags& flags) {
    auto profiles = LoadAttainmentProfiles();
    if (!profiles.ok()) {
      PrintError(flags, profiles.status().message());
      return kExitFailure;
    }
    const AttainmentProfile* profile = nullptr;
    std::string known;
    for (const auto& p : *profiles) {
      if (p.id == args->profile) profile = &p;
      known += (known.empty() ? "" : ", ") + p.id;
    }
    if (profile == nullptr) {
      PrintError(flags, fmt::format("--profile {}: no such profile; expected one of {}", args->profile, known));
      return kExitUsage;
    }
    auto validator = LoadValidator(flags);
    if (!validator) return kExitFailure;
    std::ofstream file_out;
    std::ostream* out = &std::cout;
    bool csv = !flags.json;
    if (!args->out.empty()) {
      file_out.open(args->out, std::ios::binary);
      if (!file_out) {
        PrintError(flags, fmt::format("cannot write {}", args->out));
        return kExitFailure;
      }
      out = &file_out;
      csv = !args->out.ends_with(".jsonl");
    }
    shapes::LineSink<AuditSink, AuditError> sink(shapes::AuditErrorLines, csv, ToStream(out));
    if (csv) sink.WriteText(std::string(shapes::kAuditErrorCsvHeader) + "\n");
    AuditOptions options;
    options.key = args->key;
    options.profile = args->profile;
    options.threads = args->threads;
    auto summary = AuditFiles(args->original, args->audited, *validator, &sink, options);
    if (!summary.ok()) {
      PrintError(flags, summary.status().message());
      return kExitFailure;
    }
    out->flush();
    if (!args->summary.empty() && !WriteFile(flags, args->summary, AuditSummaryJson(*summary, *profile)))
      return kExitFailure;
    if (!args->report.empty() && !WriteFile(flags, args->report, AuditHtmlReport(*summary, *profile)))
      return kExitFailure;
    for (const auto& n : summary->notices) fmt::print(stderr, "note: {}\n", n);
    PrintFigures(*summary, *profile);
    return kExitOk;
  };
}

}  // namespace clincode::cli
