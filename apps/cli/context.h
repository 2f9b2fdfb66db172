// What every subcommand shares: the global flags and the catalog they load. The CLI reads configuration
// in one order: defaults, config file, environment (CLINCODE_RELEASES), flags.
#ifndef CLINCODE_APPS_CLI_CONTEXT_H_
#define CLINCODE_APPS_CLI_CONTEXT_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clincode/catalog.h"
#include "clincode/guidance_library.h"

namespace clincode::cli {

struct GlobalFlags {
  std::vector<std::string> releases;       // --release, repeatable; CLINCODE_RELEASES; `release` in --config
  bool json = false;                       // --json
  bool no_starter = false;                 // --no-starter
  std::vector<std::string> guidance_dirs;  // --guidance-dir, repeatable
  std::vector<std::string> rules_dirs;     // --rules-dir, repeatable
};

// Registers the global flags on `app` (they are accepted before or after the subcommand).
void AddGlobalFlags(CLI::App* app, GlobalFlags* flags);

// Loads the catalog the flags describe. On failure prints the error (as JSON with --json) and returns null.
std::shared_ptr<const Catalog> LoadCatalog(const GlobalFlags& flags);

// Loads the guidance library (built-in plus --guidance-dir folders). On failure prints the error.
std::shared_ptr<const GuidanceLibrary> LoadGuidance(const GlobalFlags& flags);

// Prints an error to stderr, or {"error": ...} to stdout with --json.
void PrintError(const GlobalFlags& flags, const std::string& message);

// A --system value: a system clincode can load a release of (opcs4, icd10, icd10cm, cpt). Prints the
// error and returns nullopt otherwise (SNOMED CT concepts are cited by guidance, never loaded).
std::optional<CodeSystem> ParseLoadableSystem(const GlobalFlags& flags, const std::string& text);

// A LineSink writer onto a stream (the CLI's output goes on whatever the reader does).
std::function<bool(std::string_view)> ToStream(std::ostream* out);

// Writes `content` to `path`; false after printing the error ("cannot write PATH").
bool WriteFile(const GlobalFlags& flags, const std::string& path, const std::string& content);

// "1 row", "2 rows", "1,234 rows": a count with its noun in the right number.
std::string Counted(std::size_t n, std::string_view singular, std::string_view plural);

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

}  // namespace clincode::cli

#endif  // CLINCODE_APPS_CLI_CONTEXT_H_
