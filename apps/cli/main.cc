// clincode: the command-line interface over the clincode library.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <exception>
#include <iostream>

#include "commands.h"
#include "context.h"
#include "util/text.h"

namespace {

using clincode::cli::Command;

// The command table: --help is made from it, and so is dispatch.
const std::array<Command, 10> kCommands = {{
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
    {"audit", "Audit coding: the coder's episodes against an auditor's, the four accuracy figures, every error",
     clincode::cli::SetupAudit},
    {"serve", "Serve the HTTP JSON API, FHIR R4 terminology operations and the web app", clincode::cli::SetupServe},
}};

// The command nearest to a mistyped one ("lokup" -> "lookup"), or "" when none is close.
std::string Nearest(std::string_view typed) {
  std::string best;
  int best_distance = 3;  // at most two edits
  for (const Command& c : kCommands) {
    int d = clincode::text::BoundedEditDistance(typed, c.name, best_distance);
    if (d < best_distance) best_distance = d, best = c.name;
  }
  return best;
}

// The first argument that is neither an option nor an option's value: what the user meant as the command.
std::string_view FirstWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.rfind("-", 0) != 0) return a;
    // The global options that take a value, when it is given as the next argument.
    if ((a == "--release" || a == "--guidance-dir" || a == "--rules-dir" || a == "--config") && i + 1 < argc) ++i;
  }
  return {};
}

// "Global options" for a subcommand's --help: each subcommand accepts them before or after its name.
std::string GlobalOptionsFooter(const CLI::App& app) {
  std::string out = "Global options (accepted before or after the command):\n";
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_name() == "--help" || o->get_name() == "--version") continue;
    std::string names = o->get_name(false, true);
    std::string type = o->get_type_name();
    if (o->get_expected_max() > 0 && !type.empty()) names += " " + type;
    out += fmt::format("  {:<28}{}\n", names, o->get_description());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"clincode: clinical coding engine for OPCS-4, ICD-10, ICD-10-CM and CPT", "clincode"};
  app.set_version_flag("--version", "clincode " CLINCODE_VERSION);
  app.set_config("--config", "", "Config file (TOML or INI), e.g. release = [\"OPCS410.txt\"]")->type_name("FILE");
  app.require_subcommand(1);
  clincode::cli::GlobalFlags flags;
  clincode::cli::AddGlobalFlags(&app, &flags);
  std::function<int(const clincode::cli::GlobalFlags&)> action;
  const std::string footer = GlobalOptionsFooter(app);
  for (const Command& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->fallthrough();
    sub->footer(footer);
    auto run = c.setup(sub);
    sub->callback([&action, run] { action = run; });
  }
  if (argc == 1) {  // `clincode` alone: what it can do
    std::cout << app.help();
    return clincode::cli::kExitOk;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::string_view word = FirstWord(argc, argv);
    const bool known =
        std::any_of(kCommands.begin(), kCommands.end(), [&](const Command& c) { return word == c.name; });
    if (!word.empty() && !known && e.get_exit_code() != 0) {
      std::string nearest = Nearest(word);
      std::cerr << "clincode: unknown command \"" << word << "\""
                << (nearest.empty() ? "" : "; did you mean \"" + nearest + "\"?") << " (see: clincode --help)\n";
      return clincode::cli::kExitUsage;
    }
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
