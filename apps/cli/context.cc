#include "context.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "json_output.h"

namespace clincode::cli {

void AddGlobalFlags(CLI::App* app, GlobalFlags* flags) {
  app->add_option("--release", flags->releases,
                  "Release file or folder to load (repeatable; format detected). Also CLINCODE_RELEASES "
                  "(':'-separated) or `release = [...]` in --config.")
      ->envname("CLINCODE_RELEASES")
      ->delimiter(':')
      ->allow_extra_args(false)  // one value per occurrence: `lookup --release F K57.8` keeps K57.8
      ->type_name("PATH");
  app->add_flag("--json", flags->json, "Print JSON instead of text");
  app->add_option("--guidance-dir", flags->guidance_dirs,
                  "Folder of your own recommendations (*.yaml curated files, *.txt/*.md NICE texts); repeatable")
      ->allow_extra_args(false)
      ->type_name("DIR");
  app->add_option("--rules-dir", flags->rules_dirs, "Folder of your own rule files (*.yaml); repeatable")
      ->allow_extra_args(false)
      ->type_name("DIR");
  app->add_flag("--no-starter", flags->no_starter,
                "Do not fill systems without a release from the built-in starter data");
}

std::shared_ptr<const Catalog> LoadCatalog(const GlobalFlags& flags) {
  CatalogOptions options;
  options.release_paths = flags.releases;
  options.starter_for_missing_systems = !flags.no_starter;
  auto catalog = Catalog::Load(options);
  if (!catalog.ok()) {
    PrintError(flags, catalog.status().message());
    return nullptr;
  }
  // Notes go to stderr in every mode, so that --json output stays one document.
  for (const std::string& note : (*catalog)->notes()) std::cerr << "clincode: note: " << note << "\n";
  return *catalog;
}

std::shared_ptr<const GuidanceLibrary> LoadGuidance(const GlobalFlags& flags) {
  GuidanceLibraryOptions options;
  options.dirs = flags.guidance_dirs;
  auto library = GuidanceLibrary::Load(options);
  if (!library.ok()) {
    PrintError(flags, library.status().message());
    return nullptr;
  }
  return *library;
}

void PrintError(const GlobalFlags& flags, const std::string& message) {
  if (flags.json) {
    std::cout << shapes::Dump(nlohmann::json{{"error", message}}) << "\n";
  } else {
    std::cerr << "clincode: " << message << "\n";
  }
}

std::function<bool(std::string_view)> ToStream(std::ostream* out) {
  return [out](std::string_view text) {
    out->write(text.data(), static_cast<std::streamsize>(text.size()));
    return true;
  };
}

bool WriteFile(const GlobalFlags& flags, const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
  if (!out) {
    PrintError(flags, fmt::format("cannot write {}", path));
    return false;
  }
  return true;
}

std::optional<CodeSystem> ParseLoadableSystem(const GlobalFlags& flags, const std::string& text) {
  auto s = ParseCodeSystem(text);
  if (s.ok() && *s == CodeSystem::kSnomedCt) {
    PrintError(flags, fmt::format("--system {}: clincode loads no SNOMED CT release; expected one of opcs4, icd10, "
                                  "icd10cm, cpt",
                                  text));
    return std::nullopt;
  }
  if (!s.ok()) {
    PrintError(flags, "--system: " + s.status().message());
    return std::nullopt;
  }
  return *s;
}

std::string Counted(std::size_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

}  // namespace clincode::cli
