// clincode: the command-line interface over the clincode library.
#include <CLI/CLI.hpp>
#include <array>
#include <exception>
#include <iostream>

#include "commands.h"
#include "context.h"

namespace {

using clincode::cli::Command;

// The command table: --help is made from it, and so is dispatch.
const std::array<Command, 9> kCommands = {{
    {"lookup", "Show codes: title, release, kind, ancestors, children, flags and notes", clincode::cli::SetupLookup},
    {"search", "Search titles and codes across the loaded systems", clincode::cli::SetupSearch},
    {"systems", "List the loaded releases: system, edition, sources and counts", clincode::cli::SetupSystems},
    {"guidance", "NICE coding recommendations: list, show, parse, find, check", clincode::cli::SetupGuidance},
    {"check", "Check one coded episode against the coding standards and NICE recommendations",
     clincode::cli::SetupCheck},
    {"validate", "Validate a file of episodes (HES-like CSV or JSON lines): findings, summary, HTML report",
     clincode::cli::SetupValidate},
    {"code", "Code an operation note: the ordered OPCS-4 and ICD-10 (or CPT) codes with reasons",
     clincode::cli::SetupCode},
    {"match", "Match a file of episodes to the recommendations: matched, full, partial, what is missing",
     clincode::cli::SetupMatch},
    {"serve", "Serve the HTTP JSON API, FHIR R4 terminology operations and the web app", clincode::cli::SetupServe},
}};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"clincode: clinical coding engine for OPCS-4, ICD-10, ICD-10-CM and CPT"};
  app.set_version_flag("--version", "clincode " CLINCODE_VERSION);
  app.set_config("--config", "", "Config file (TOML or INI), e.g. release = [\"OPCS410.txt\"]");
  app.require_subcommand(1);
  clincode::cli::GlobalFlags flags;
  clincode::cli::AddGlobalFlags(&app, &flags);
  std::function<int(const clincode::cli::GlobalFlags&)> action;
  for (const Command& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->fallthrough();
    auto run = c.setup(sub);
    sub->callback([&action, run] { action = run; });
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : clincode::cli::kExitUsage;
  }
  try {
    return action(flags);
  } catch (const std::exception& e) {
    clincode::cli::PrintError(flags, std::string("internal error: ") + e.what());
    return clincode::cli::kExitFailure;
  }
}
