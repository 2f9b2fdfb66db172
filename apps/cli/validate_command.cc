// `clincode validate FILE`: a whole extract, streamed.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "clincode/validate_stream.h"
#include "commands.h"
#include "csv_field.h"
#include "findings_json.h"
#include "json_output.h"
#include "line_sink.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares
namespace {

struct ValidateArgs {
  std::string file, out, summary, report, header;
  unsigned threads = 0;
  bool no_header = false;
};

}  // namespace

std::function<int(const GlobalFlags&)> SetupValidate(CLI::App* cmd) {
  auto args = std::make_shared<ValidateArgs>();
  cmd->add_option("file", args->file,
                  "HES-like CSV (EPIKEY, SEX, STARTAGE, DIAG_nn, OPERTN_nn) or JSON lines; - for standard input")
      ->required();
  cmd->add_option("--out", args->out,
                  "Findings file: .csv (default columns) or .jsonl; standard output when absent or -");
  cmd->add_option("--header", args->header,
                  "The CSV header of an input without one (a partition piped in): \"EPIKEY,SEX,DIAG_01,OPERTN_01\"");
  cmd->add_flag("--no-header", args->no_header, "Findings CSV without its header line (for piped partitions)");
  cmd->add_option("--summary", args->summary, "Summary JSON: episodes read, with errors/warnings, findings per rule");
  cmd->add_option("--report", args->report, "Self-contained HTML report with charts");
  cmd->add_option("--threads", args->threads, "Worker threads (0: one per core)");
  return [args](const GlobalFlags& flags) {
    auto validator = LoadValidator(flags);
    if (!validator) return kExitFailure;
    std::ofstream file_out;
    std::ostream* out = &std::cout;
    bool jsonl = flags.json;
    if (!args->out.empty() && args->out != "-") {
      file_out.open(args->out, std::ios::binary);
      if (!file_out) {
        PrintError(flags, fmt::format("cannot write {}", args->out));
        return kExitFailure;
      }
      out = &file_out;
      jsonl = args->out.size() > 6 && args->out.substr(args->out.size() - 6) == ".jsonl";
    }
    LineSink<FindingSink, Finding> sink(FindingLines, !jsonl, ToStream(out));
    if (!jsonl && !args->no_header) sink.WriteText(std::string(kFindingCsvHeader) + "\n");
    ValidateOptions options;
    options.threads = args->threads;
    options.header = args->header;
    if (isatty(STDERR_FILENO) != 0) {
      options.progress = [](std::size_t done, std::size_t total) {
        if (total == 0) return;
        int pct = static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total));
        std::string bar(static_cast<std::size_t>(pct / 2), '#');
        fmt::print(stderr, "\r[{:<50}] {:3}%", bar, pct);
      };
    }
    // `-`: standard input, a pipe (Spark's RDD.pipe, Hadoop streaming) or a redirected file.
    const bool stdin_input = args->file == "-";
    if (stdin_input) options.source_name = "standard input";
    auto summary = ValidateFile(stdin_input ? "/dev/stdin" : args->file, *validator, &sink, options);
    if (options.progress) fmt::print(stderr, "\n");
    if (!summary.ok()) {
      PrintError(flags, summary.status().message());
      return kExitFailure;
    }
    out->flush();
    if (!args->summary.empty() && !WriteFile(flags, args->summary, SummaryJson(*summary))) return kExitFailure;
    if (!args->report.empty() && !WriteFile(flags, args->report, HtmlReport(*summary))) return kExitFailure;
    for (const auto& n : summary->notices) fmt::print(stderr, "note: {}\n", n);
    fmt::print(stderr, "{} read: {} checked, {} unreadable; {} with errors, {} with warnings; {} in {:.2f} s\n",
               Counted(summary->rows_read, "row", "rows"), Counted(summary->episodes_checked, "episode", "episodes"),
               summary->rows_unreadable, summary->episodes_with_errors, summary->episodes_with_warnings,
               Counted(summary->findings, "finding", "findings"), summary->seconds);
    if (!summary->rules_not_run.empty()) {
      fmt::print(stderr, "{} of {} rules ran; not run: ", summary->rules_run.size(),
                 summary->rules_run.size() + summary->rules_not_run.size());
      bool first = true;
      for (const auto& [id, why] : summary->rules_not_run)
        fmt::print(stderr, "{}{}", first ? "" : ", ", id), first = false;
      fmt::print(stderr, "\n");
    }
    return kExitOk;
  };
}

}  // namespace clincode::cli
