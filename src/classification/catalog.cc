#include "clincode/catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include "classification/loaders/loaders.h"
#include "classification/release_builder.h"
#include "clincode/normalise.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode {
namespace {

namespace fs = std::filesystem;

// Enough of a file to tell its form: DetectReleaseFormat looks at the first 4 KiB and the first line.
constexpr std::size_t kDetectBytes = 64 << 10;

struct ReleaseFile {
  std::string path;
  bool in_folder = false;  // found by listing a folder, not named by the user
};

// A file read: its builder, or (for a file of a folder that is no release: a README, a PDF) why it was
// skipped.
struct Loaded {
  std::optional<ReleaseBuilder> builder;
  std::string skipped;
};

Result<ReleaseBuilder> ReadRelease(const std::string& path, ReleaseFormat format) {
  auto content = file::ReadAll(path);
  if (!content.ok()) return content.status();
  if (Status s = file::CheckUtf8(*content, path); !s.ok()) return s;
  loaders::SourceFile source{path, file::StripBom(*content)};
  switch (format) {
    case ReleaseFormat::kOpcs4Text: return loaders::LoadOpcs4Text(source);
    case ReleaseFormat::kOpcs4Xml: return loaders::LoadOpcs4Xml(source);
    case ReleaseFormat::kUkBiobankOpcs4: return loaders::LoadUkBiobankOpcs4(source);
    case ReleaseFormat::kIcd10UkXml: return loaders::LoadIcd10UkXml(source);
    case ReleaseFormat::kIcd10UkText: return loaders::LoadIcd10UkText(source);
    case ReleaseFormat::kWhoIcd10Xml: return loaders::LoadWhoIcd10Xml(source);
    case ReleaseFormat::kIcd10CmOrder: return loaders::LoadIcd10CmOrder(source);
    case ReleaseFormat::kIcd10CmTabular: return loaders::LoadIcd10CmTabular(source);
    case ReleaseFormat::kCptCsv: return loaders::LoadCptCsv(source);
    case ReleaseFormat::kIcd10CmIndex: return loaders::LoadIcd10CmIndex(source);
    case ReleaseFormat::kBuiltin: break;
  }
  return Unsupported(path + ": unknown release format");
}

// The form is told from the first bytes, so a folder's documents are skipped without being read whole.
Result<Loaded> LoadFile(const ReleaseFile& f) {
  auto head = file::ReadHead(f.path, kDetectBytes);
  if (!head.ok()) return head.status();
  auto format = DetectReleaseFormat(*head, f.path);
  if (!format.ok()) {
    if (f.in_folder && format.status().code() == StatusCode::kUnsupported) {
      return Loaded{std::nullopt, fmt::format("skipped {}: not a release file", f.path)};
    }
    return format.status();
  }
  auto builder = ReadRelease(f.path, *format);
  if (!builder.ok()) return builder.status();
  return Loaded{std::move(builder).value(), {}};
}

// Files named directly, and the regular files of named folders in name order (hidden files skipped). A
// folder with no file in it is an error: silently answering from the starter data would hide the mistake.
Result<std::vector<ReleaseFile>> ExpandPaths(const std::vector<std::string>& paths) {
  std::vector<ReleaseFile> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> in_dir;
      for (const auto& entry : fs::directory_iterator(p, ec)) {
        std::string name = entry.path().filename().string();
        std::error_code type_ec;
        if (entry.is_regular_file(type_ec) && !name.empty() && name[0] != '.') in_dir.push_back(entry.path().string());
      }
      if (ec) return IoError(fmt::format("cannot list {}: {}", p, ec.message()));
      if (in_dir.empty()) return InvalidArgument(fmt::format("the folder {} has no release files in it", p));
      std::sort(in_dir.begin(), in_dir.end());
      for (auto& f : in_dir) files.push_back({std::move(f), true});
    } else if (fs::exists(p, ec)) {
      files.push_back({p, false});
    } else {
      return IoError(fmt::format("cannot open {}: no such file or folder", p));
    }
  }
  return files;
}

bool HasFormat(const ReleaseInfo& info, ReleaseFormat f) {
  return std::find(info.formats.begin(), info.formats.end(), f) != info.formats.end();
}

// Order of releases within a system: the UK edition of ICD-10 before WHO, then load order.
int EditionRank(const ReleaseInfo& info) { return HasFormat(info, ReleaseFormat::kWhoIcd10Xml) ? 1 : 0; }

// The index files' terms become notes of the ICD-10-CM release's codes. An index needs that release loaded with
// it; a term whose code the release lacks is counted and said, never dropped silently.
Status AddIndexTerms(std::vector<ReleaseBuilder>* indexes, std::vector<ReleaseBuilder>* groups,
                     std::vector<std::string>* notes) {
  if (indexes->empty()) return Status::Ok();
  ReleaseBuilder* cm = nullptr;
  for (ReleaseBuilder& g : *groups) {
    if (g.info().system == CodeSystem::kIcd10Cm && cm == nullptr) cm = &g;
  }
  if (cm == nullptr) {
    return InvalidArgument(
        fmt::format("{}: an ICD-10-CM index needs the ICD-10-CM release (the order file or the "
                    "tabular XML) loaded with it",
                    indexes->front().info().sources.front()));
  }
  for (ReleaseBuilder& index : *indexes) {
    std::size_t added = 0, missing = 0;
    std::string first_missing;
    for (std::uint32_t i = 0; i < index.size(); ++i) {
      CodeEntry& e = index.at(i);
      std::uint32_t to = cm->Find(e.code);
      if (to == Release::kNone) {
        missing += e.notes.size();
        if (first_missing.empty()) first_missing = e.code;
        continue;
      }
      auto& into = cm->at(to).notes;
      added += e.notes.size();
      into.insert(into.end(), std::make_move_iterator(e.notes.begin()), std::make_move_iterator(e.notes.end()));
    }
    const std::string& path = index.info().sources.front();
    std::string read = index.info().notes.empty() ? path : index.info().notes.front();
    notes->push_back(fmt::format("{}; {} index terms added to {}", read, added, cm->info().edition));
    if (missing > 0) {
      notes->push_back(fmt::format("{}: {} index terms name codes {} lacks (first: {}); they are not searchable", path,
                                   missing, cm->info().edition, first_missing));
    }
    cm->info().sources.push_back(path);
    cm->info().formats.push_back(ReleaseFormat::kIcd10CmIndex);
  }
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Catalog>> Catalog::Load(const CatalogOptions& options) {
  auto files = ExpandPaths(options.release_paths);
  if (!files.ok()) return files.status();

  // Read and parse every file; the files are independent, so they load in parallel.
  std::vector<std::optional<Result<Loaded>>> parsed(files->size());
  unsigned threads = options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  threads = std::min<unsigned>(threads, static_cast<unsigned>(files->size()));
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < files->size(); i = next++) parsed[i].emplace(LoadFile((*files)[i]));
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  // Files of one release (same system and edition) are merged, in the order given.
  std::vector<ReleaseBuilder> groups;
  std::vector<ReleaseBuilder> indexes;  // ICD-10-CM index files, added to the ICD-10-CM release below
  std::map<std::string, std::size_t> group_of;
  std::vector<std::string> notes;
  for (auto& r : parsed) {
    if (!r->ok()) return r->status();
    if (!r->value().builder) {
      notes.push_back(std::move(r->value().skipped));
      continue;
    }
    ReleaseBuilder& b = *r->value().builder;
    if (HasFormat(b.info(), ReleaseFormat::kIcd10CmIndex)) {
      indexes.push_back(std::move(b));
      continue;
    }
    std::string key = fmt::format("{}|{}", CodeSystemKey(b.info().system), b.info().edition);
    auto [it, inserted] = group_of.try_emplace(key, groups.size());
    if (inserted) {
      groups.push_back(std::move(b));
    } else {
      ReleaseBuilder& into = groups[it->second];
      into.Reserve(into.size() + b.size());
      into.MergeFrom(std::move(b));
    }
  }

  if (Status s = AddIndexTerms(&indexes, &groups, &notes); !s.ok()) return s;
  // Folders named, but no release in any of them.
  if (groups.empty() && !notes.empty()) {
    return InvalidArgument(fmt::format("no release file among the {} file(s) given: {}", notes.size(), notes.front()));
  }
  std::shared_ptr<Catalog> catalog(new Catalog());
  // WHO editions first: the UK edition takes its chapters and blocks from them.
  const Release* who = nullptr;
  std::vector<std::shared_ptr<const Release>> built;
  std::vector<bool> is_who(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) {
    is_who[g] = HasFormat(groups[g].info(), ReleaseFormat::kWhoIcd10Xml);
    if (!is_who[g]) continue;
    auto release = groups[g].Build({});
    if (!release.ok()) return release.status();
    built.push_back(std::move(release).value());
    if (who == nullptr) who = built.back().get();
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    if (is_who[g]) continue;
    ReleaseBuilder& b = groups[g];
    ReleaseBuilder::BuildOptions build;
    if (b.info().system == CodeSystem::kIcd10) build.hierarchy_from = who;
    auto release = b.Build(build);
    if (!release.ok()) return release.status();
    built.push_back(std::move(release).value());
  }
  if (options.starter_for_missing_systems) {
    for (CodeSystem s : kAllCodeSystems) {
      bool have = std::any_of(built.begin(), built.end(), [&](const auto& r) { return r->system() == s; });
      if (!have) {
        if (auto starter = StarterRelease(s)) built.push_back(std::move(starter));
      }
    }
  }
  std::stable_sort(built.begin(), built.end(), [](const auto& a, const auto& b) {
    if (a->system() != b->system()) return a->system() < b->system();
    return EditionRank(a->info()) < EditionRank(b->info());
  });
  for (const auto& r : built) notes.insert(notes.end(), r->info().notes.begin(), r->info().notes.end());
  catalog->notes_ = std::move(notes);
  catalog->releases_ = std::move(built);
  return std::shared_ptr<const Catalog>(std::move(catalog));
}

std::shared_ptr<const Catalog> Catalog::Starter() {
  auto catalog = Load(CatalogOptions{});
  return std::move(catalog).value();
}

std::vector<const Release*> Catalog::ReleasesOf(CodeSystem system) const {
  std::vector<const Release*> out;
  for (const auto& r : releases_) {
    if (r->system() == system) out.push_back(r.get());
  }
  return out;
}

Result<std::vector<Catalog::Hit>> Catalog::Lookup(std::string_view input, std::optional<CodeSystem> system) const {
  std::string_view text_in = text::Trim(input);
  // "opcs4:K57.8" names the system.
  std::size_t colon = text_in.find(':');
  if (colon != std::string_view::npos && !system) {
    auto prefixed = ParseCodeSystem(text_in.substr(0, colon));
    if (prefixed.ok()) {
      system = *prefixed;
      text_in = text::Trim(text_in.substr(colon + 1));
    }
  }
  std::vector<Hit> hits;
  Status first_error;
  bool any_well_formed = false;
  // Chapters ("Chapter K") and blocks ("I30-I52") go through Release::Lookup; codes are normalised once per
  // system and found directly, which keeps a lookup across every release near 100 ns.
  const bool special = text::StartsWithIgnoreCase(text_in, "chapter") || text_in.find('-') != std::string_view::npos;
  // Per system: 0 not tried, 1 a code, 2 not a code of the system.
  std::uint8_t state[kAllCodeSystems.size()] = {};
  std::optional<CodeSystem> first_malformed;
  NormalisedCode normalised[kAllCodeSystems.size()];
  for (const auto& r : releases_) {
    if (system && r->system() != *system) continue;
    if (special) {
      auto id = r->Lookup(text_in);
      if (id.ok()) hits.push_back({r.get(), *id});
      if (id.ok() || id.status().code() == StatusCode::kNotFound)
        any_well_formed = true;
      else if (first_error.ok())
        first_error = id.status();
      continue;
    }
    const auto s = static_cast<std::size_t>(r->system());
    if (state[s] == 0) state[s] = TryNormaliseCode(r->system(), text_in, &normalised[s]) ? 1 : 2;
    if (state[s] == 2) {
      if (!first_malformed) first_malformed = r->system();  // the message is made only if needed
      continue;
    }
    any_well_formed = true;
    std::uint32_t id = r->Find(normalised[s].code);
    if (id != Release::kNone) hits.push_back({r.get(), id});
  }
  if (!hits.empty()) return hits;
  if (!any_well_formed) {
    if (!system) return InvalidArgument(fmt::format("\"{}\" is not a code of any loaded code system", text_in));
    if (!first_error.ok()) return first_error;
    if (first_malformed) return NormaliseCode(*first_malformed, text_in).status();
    return NotFound(fmt::format("no {} release is loaded", CodeSystemName(*system)));
  }
  std::string where = system ? std::string(CodeSystemName(*system)) : "any loaded release";
  return NotFound(fmt::format("{} is not in {}", text_in, where));
}

}  // namespace clincode
