#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "classification/embedded.h"
#include "clincode/code_pattern.h"
#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "clincode/normalise.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode {
namespace {

namespace fs = std::filesystem;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && text::EqualsIgnoreCase(s.substr(s.size() - suffix.size()), suffix);
}

Result<Recommendation> ReadFile(const std::string& path) {
  auto content = file::ReadAll(path);
  if (!content.ok()) return content.status();
  if (EndsWith(path, ".yaml") || EndsWith(path, ".yml")) return ReadRecommendationYaml(*content, path);
  return ReadRecommendationText(*content, {path});
}

// Adds `rec`, replacing one with the same id.
void Put(std::vector<Recommendation>* all, Recommendation rec) {
  for (Recommendation& have : *all) {
    if (text::EqualsIgnoreCase(have.id, rec.id)) {
      have = std::move(rec);
      return;
    }
  }
  all->push_back(std::move(rec));
}

}  // namespace

Result<std::shared_ptr<const GuidanceLibrary>> GuidanceLibrary::Load(const GuidanceLibraryOptions& options) {
  std::shared_ptr<GuidanceLibrary> lib(new GuidanceLibrary());
  if (options.builtin) {
    for (std::string_view name : embedded::Names()) {
      if (name.rfind("knowledge/guidance/", 0) != 0) continue;
      auto rec = ReadRecommendationYaml(embedded::Find(name), name);
      if (!rec.ok()) return rec.status();
      rec->source = "built-in";
      Put(&lib->recommendations_, std::move(rec).value());
    }
  }
  for (const std::string& dir : options.dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return IoError(fmt::format("guidance folder {} does not exist", dir));
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::string p = entry.path().string();
      if (entry.is_regular_file() &&
          (EndsWith(p, ".yaml") || EndsWith(p, ".yml") || EndsWith(p, ".txt") || EndsWith(p, ".md"))) {
        files.push_back(p);
      }
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      auto rec = ReadFile(f);
      if (!rec.ok()) return rec.status();
      Put(&lib->recommendations_, std::move(rec).value());
    }
  }
  std::sort(lib->recommendations_.begin(), lib->recommendations_.end(),
            [](const Recommendation& a, const Recommendation& b) { return a.id < b.id; });
  return std::shared_ptr<const GuidanceLibrary>(std::move(lib));
}

const Recommendation* GuidanceLibrary::Find(std::string_view id) const {
  for (const Recommendation& r : recommendations_) {
    if (text::EqualsIgnoreCase(r.id, text::Trim(id))) return &r;
  }
  return nullptr;
}

Result<std::vector<GuidanceLibrary::Mention>> GuidanceLibrary::Mentioning(std::string_view input,
                                                                          std::optional<CodeSystem> system) const {
  std::vector<Mention> out;
  bool understood = false;
  for (CodeSystem s : {CodeSystem::kOpcs4, CodeSystem::kIcd10, CodeSystem::kCpt}) {
    if (system && *system != s) continue;
    // A code ("Y53.4") is covered by a pattern that matches it; a pattern ("Y53.-") by one that matches
    // the pattern's first code.
    std::string probe;
    NormalisedCode code;
    if (TryNormaliseCode(s, input, &code)) {
      probe = code.code;
    } else {
      auto pattern = CodePattern::Parse(s, input);
      if (!pattern.ok()) continue;
      probe = pattern->ToString().substr(0, pattern->ToString().find_first_of(".- "));
    }
    understood = true;
    for (const Recommendation& rec : recommendations_) {
      const Section* section = rec.SectionFor(s);
      if (section == nullptr) continue;
      // Groups numbered through the section's own and then each scenario's.
      std::vector<const Group*> groups;
      for (const Group& group : section->groups) groups.push_back(&group);
      for (const Scenario& sc : section->scenarios) {
        for (const Group& group : sc.groups) groups.push_back(&group);
      }
      for (std::size_t g = 0; g < groups.size(); ++g) {
        const Group& group = *groups[g];
        for (const std::string& p : group.any_of) {
          auto pattern = CodePattern::Parse(s, p);
          if (pattern.ok() && pattern->Matches(probe)) out.push_back({&rec, s, g, p, false});
        }
        if (!group.family.empty()) {
          auto family = CodePattern::Parse(s, group.family);
          if (family.ok() && family->Matches(probe)) out.push_back({&rec, s, g, group.family, true});
        }
      }
      for (std::size_t c = 0; c < section->cpt_codes.size(); ++c) {
        if (section->cpt_codes[c].code == probe) out.push_back({&rec, s, c, probe, false});
      }
    }
  }
  if (!understood) return InvalidArgument(fmt::format("\"{}\" is not a code or code pattern", input));
  return out;
}

}  // namespace clincode
