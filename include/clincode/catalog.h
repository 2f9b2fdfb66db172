// The set of releases a program works with: loaded from files (format detected), with the built-in starter
// data filling any code system no file provides. Immutable after Load(); safe to share between threads.
#ifndef CLINCODE_CATALOG_H_
#define CLINCODE_CATALOG_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/code_system.h"
#include "clincode/release.h"
#include "clincode/status.h"

namespace clincode {

// Detects the release form of `content` (the file's first bytes suffice). Fails with kUnsupported naming
// the file and what was seen, or kParseError for a file that is not UTF-8.
Result<ReleaseFormat> DetectReleaseFormat(std::string_view content, std::string_view path);

struct CatalogOptions {
  // Release files, or folders whose files are all read. Each file's format is detected; a file of a folder
  // that is not a release (a README, a PDF) is skipped with a note, a folder with no release is an error.
  std::vector<std::string> release_paths;
  // Fill each code system that no file provides with clincode's built-in starter data.
  bool starter_for_missing_systems = true;
  // Files are read in parallel on up to this many threads; 0 means one per hardware thread.
  unsigned threads = 0;
};

class Catalog {
 public:
  // A code found in one release.
  struct Hit {
    const Release* release;
    std::uint32_t id;
    const CodeEntry& entry() const { return release->at(id); }
  };

  // Reads every file, merges files of one release (an ICD-10-CM order file with its tabular XML), gives
  // ICD-10 UK editions the WHO chapters and blocks when a WHO file is loaded too, and builds the releases.
  // Fails with the first file's error (file:line and what was wrong); nothing is half-loaded.
  static Result<std::shared_ptr<const Catalog>> Load(const CatalogOptions& options);
  // The built-in starter data alone.
  static std::shared_ptr<const Catalog> Starter();

  const std::vector<std::shared_ptr<const Release>>& releases() const { return releases_; }
  // What a user should be told about the load: files of a folder that were skipped as not being releases
  // ("skipped rel/README.txt: not a release file"), then every release's own notes (ReleaseInfo::notes).
  const std::vector<std::string>& notes() const { return notes_; }
  std::vector<const Release*> ReleasesOf(CodeSystem system) const;

  // Finds `input` in every release (or those of `system`), in release order. `input` may carry a system
  // prefix ("opcs4:K57.8"). Fails with kInvalidArgument when the input is not the shape of a code of any
  // system asked, kNotFound when it is but no release holds it.
  Result<std::vector<Hit>> Lookup(std::string_view input, std::optional<CodeSystem> system = std::nullopt) const;

 private:
  Catalog() = default;
  std::vector<std::shared_ptr<const Release>> releases_;
  std::vector<std::string> notes_;
};

// The built-in starter release of `system` (compiled-in knowledge/starter data), or null where there is
// none (SNOMED CT).
std::shared_ptr<const Release> StarterRelease(CodeSystem system);

}  // namespace clincode

#endif  // CLINCODE_CATALOG_H_
