// The CLI's subcommands. Each registers its flags on a CLI11 subcommand and runs against the catalog.
#ifndef CLINCODE_APPS_CLI_COMMANDS_H_
#define CLINCODE_APPS_CLI_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <span>

#include "clincode/validator.h"
#include "context.h"

namespace clincode::cli {

// One row of the command table: the name and summary that --help shows, and a function that registers the
// command's flags and returns the action to run once the flags are parsed.
struct Command {
  const char* name;
  const char* summary;
  std::function<std::function<int(const GlobalFlags&)>(CLI::App*)> setup;
};

std::function<int(const GlobalFlags&)> SetupLookup(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupSearch(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupSystems(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupGuidance(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupCheck(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupValidate(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupCode(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupMatch(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupAudit(CLI::App* cmd);
std::function<int(const GlobalFlags&)> SetupServe(CLI::App* cmd);

// The rules the flags describe (built-in plus --rules-dir); null after printing the error.
std::shared_ptr<const RuleSet> LoadRules(const GlobalFlags& flags);
// The validator the flags describe (catalog, rules, guidance); null after printing the error.
std::shared_ptr<const Validator> LoadValidator(const GlobalFlags& flags);

}  // namespace clincode::cli

#endif  // CLINCODE_APPS_CLI_COMMANDS_H_
