// A recommendation as a readable page in the NICE layout. The page is also valid input to the reader.
#include <fmt/format.h>

#include <algorithm>

#include "clincode/code_pattern.h"
#include "clincode/guidance_library.h"

namespace clincode {
namespace {

// The title of a pattern's code (or category) in the catalog, else the written one.
std::string TitleOf(CodeSystem system, const std::string& pattern, const std::string& written, const Catalog* catalog) {
  if (catalog != nullptr) {
    auto p = CodePattern::Parse(system, pattern);
    if (p.ok() && (p->kind() == CodePattern::Kind::kExact || p->kind() == CodePattern::Kind::kCategory)) {
      std::string code = p->ToString().substr(0, p->ToString().find(".-"));
      for (const Release* r : catalog->ReleasesOf(system)) {
        std::uint32_t id = r->Find(code);
        if (id != Release::kNone) return r->at(id).title;
      }
    }
  }
  return written;
}

void RenderGroups(const Section& s, const std::vector<Group>& groups, const Catalog* catalog, std::string* out) {
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const Group& g = groups[i];
    if (!g.placeholder.empty()) {
      *out += g.placeholder + "\n\n";
      continue;
    }
    for (std::size_t k = 0; k < g.any_of.size(); ++k) {
      if (k > 0) *out += "Or\n\n";
      std::string title = TitleOf(s.classification, g.any_of[k], k < g.titles.size() ? g.titles[k] : "", catalog);
      *out += "**" + g.any_of[k] + "**" + (title.empty() ? "" : " " + title);
      if (k == 0 && g.condition) *out += " (" + g.condition->text + ")";
      *out += "\n\n";
    }
  }
}

void RenderCpt(const Section& s, std::string* out) {
  auto join = [](const std::vector<std::string>& codes, const char* last) {
    std::string r;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      r += (i == 0 ? "" : i + 1 == codes.size() ? last : ", ") + codes[i];
    }
    return r;
  };
  for (const CptCode& c : s.cpt_codes) {
    *out += "**" + c.code + "** " + c.summary + "\n\n";
    if (!c.components.empty()) *out += c.code + " includes " + join(c.components, " and ") + "\n\n";
    if (!c.not_reported_with.empty()) {
      *out += c.code + " is not reported with " + join(c.not_reported_with, " or ") + "\n\n";
    }
  }
}

// SNOMED CT concepts as the pages write them, "term (id)", procedure concepts and then diagnosis ones.
void RenderSnomed(const Section& s, std::string* out) {
  for (bool diagnosis : {false, true}) {
    bool heading = false;
    for (const Group& g : s.groups) {
      if ((g.role == GroupRole::kDiagnosis) != diagnosis || g.any_of.empty()) continue;
      if (!heading) {
        *out += diagnosis ? "## Diagnosis or health condition\n\n" : "## Procedure\n\n";
        *out += "**SNOMED CT preferred term (concept ID):**\n\n";
        heading = true;
      }
      *out += (g.titles.empty() ? std::string() : g.titles[0]) + " (" + g.any_of[0] + ")\n\n";
    }
  }
}

}  // namespace

std::string RenderMarkdown(const Recommendation& rec, const Catalog* catalog) {
  std::string out = fmt::format("# {} - {}\n\n", rec.id, rec.title);
  if (!rec.description.empty()) out += rec.description + "\n\n";
  bool diagnosis_heading = false;
  for (const Section& s : rec.sections) {
    switch (s.classification) {
      case CodeSystem::kOpcs4: out += "## Procedure\n\n**OPCS-4 code(s):**\n\n"; break;
      case CodeSystem::kIcd10:
      case CodeSystem::kIcd10Cm:
        if (!diagnosis_heading) out += "## Diagnosis or health condition\n\n";
        diagnosis_heading = true;
        out += fmt::format("**{} code(s):**\n\n", CodeSystemName(s.classification));
        break;
      case CodeSystem::kCpt: out += "## CPT codes\n\n**CPT code(s):**\n\n"; break;
      case CodeSystem::kSnomedCt: break;
    }
    if (s.classification == CodeSystem::kSnomedCt) {
      RenderSnomed(s, &out);
      continue;
    }
    RenderGroups(s, s.groups, catalog, &out);
    for (const Scenario& sc : s.scenarios) {
      out += sc.label + ":\n\n";
      RenderGroups(s, sc.groups, catalog, &out);
    }
    RenderCpt(s, &out);
    if (s.statement) out += *s.statement + "\n\n";
    for (const Constraint& c : s.constraints) {  // those a note does not already say
      bool in_note = std::any_of(s.notes.begin(), s.notes.end(),
                                 [&](const GuidanceNote& n) { return n.text.find(c.text) != std::string::npos; });
      if (!in_note) out += c.text + "\n\n";
    }
    for (const GuidanceNote& n : s.notes) out += "Note: " + n.text + "\n\n";
  }
  if (!rec.related.empty()) {
    out += "Related guidance:";
    for (std::size_t i = 0; i < rec.related.size(); ++i) out += (i == 0 ? " " : ", ") + rec.related[i];
    out += "\n";
  }
  return out;
}

}  // namespace clincode
