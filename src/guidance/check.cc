// Consistency of the guidance library with the loaded releases.
#include <fmt/format.h>

#include "clincode/code_pattern.h"
#include "clincode/guidance_library.h"
#include "util/text.h"

namespace clincode {
namespace {

// Titles compared without case, punctuation and spacing.
std::string Comparable(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (text::IsAlnum(c)) out.push_back(text::ToLower(c));
  }
  return out;
}

struct Checker {
  const Recommendation& rec;
  const Release& release;
  std::vector<GuidanceProblem>* out;

  void Add(std::string kind, std::string code, std::string message) {
    out->push_back({rec.id, std::move(kind), std::move(code), release.Name(), std::move(message)});
  }

  void CheckPattern(const std::string& text, const std::string& written_title) {
    auto pattern = CodePattern::Parse(release.system(), text);
    if (!pattern.ok()) {
      Add("unknown_code", text, pattern.status().message());
      return;
    }
    auto ids = pattern->Expand(release);
    if (pattern->kind() == CodePattern::Kind::kExact) {
      std::uint32_t id = release.Find(text);
      if (id == Release::kNone) {
        Add("unknown_code", text,
            fmt::format("{} {} is not in {}", CodeSystemName(release.system()), text, release.Name()));
        return;
      }
      const CodeEntry& e = release.at(id);
      if (e.flags.retired)
        Add("retired_code", text, fmt::format("{} is retired in {}: \"{}\"", text, release.Name(), e.title));
      if (!written_title.empty() && Comparable(written_title) != Comparable(e.title)) {
        Add("title_changed", text,
            fmt::format("{} is written \"{}\" but {} calls it \"{}\"", text, written_title, release.Name(), e.title));
      }
      return;
    }
    if (ids.empty()) {
      Add("empty_pattern", text, fmt::format("{} covers no code of {}", text, release.Name()));
      return;
    }
    if (pattern->kind() == CodePattern::Kind::kCategory && !written_title.empty()) {
      std::uint32_t id = release.Find(text.substr(0, 3));
      if (id != Release::kNone && Comparable(written_title) != Comparable(release.at(id).title)) {
        Add("title_changed", text,
            fmt::format("{} is written \"{}\" but {} calls it \"{}\"", text, written_title, release.Name(),
                        release.at(id).title));
      }
    }
  }

  void CheckSection(const Section& s) {
    auto version = rec.written_for.find(std::string(CodeSystemName(s.classification)));
    if (version != rec.written_for.end() && !release.info().builtin && !release.info().version.empty() &&
        version->second != release.info().version) {
      Add("version_differs", "",
          fmt::format("written for {} {}; checked against {}", CodeSystemName(s.classification), version->second,
                      release.Name()));
    }
    auto check_groups = [&](const std::vector<Group>& groups) {
      for (const Group& g : groups) {
        for (std::size_t k = 0; k < g.any_of.size(); ++k)
          CheckPattern(g.any_of[k], k < g.titles.size() ? g.titles[k] : "");
        if (!g.family.empty()) CheckPattern(g.family, "");
      }
    };
    check_groups(s.groups);
    for (const Scenario& sc : s.scenarios) check_groups(sc.groups);
    for (const Constraint& c : s.constraints) {
      for (const std::string& code : c.codes) CheckPattern(code, "");
    }
    for (const CptCode& c : s.cpt_codes) CheckPattern(c.code, "");
  }
};

}  // namespace

std::vector<GuidanceProblem> CheckGuidance(const GuidanceLibrary& library, const Catalog& catalog) {
  std::vector<GuidanceProblem> out;
  for (const Recommendation& rec : library.all()) {
    for (const Section& s : rec.sections) {
      for (const Release* r : catalog.ReleasesOf(s.classification)) Checker{rec, *r, &out}.CheckSection(s);
    }
  }
  return out;
}

}  // namespace clincode
