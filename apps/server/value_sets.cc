#include "value_sets.h"

#include <algorithm>
#include <cctype>

#include "clincode/code_pattern.h"
#include "fhir_systems.h"

namespace clincode::server {
namespace {

constexpr std::string_view kImplicitMarker = "?fhir_vs";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::string word;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      out.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

// "OPCS-4" -> "opcs4", "ICD-10" -> "icd10": the short names the API and CLI use.
std::string SystemSlug(CodeSystem system) {
  std::string out;
  for (char c : CodeSystemName(system)) {
    if (c != '-') out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

// The codes one section allows: its groups' patterns (or a placeholder's family) expanded against the
// release, CPT codes by their code.
std::vector<std::uint32_t> SectionMembers(const Section& section, const Release& release) {
  std::vector<std::uint32_t> ids;
  auto add = [&](const std::string& text) {
    auto p = CodePattern::Parse(section.classification, text);
    if (!p.ok()) return;
    for (std::uint32_t id : p->Expand(release)) ids.push_back(id);
  };
  for (const Group& g : section.groups) {
    for (const std::string& p : g.any_of) add(p);
    if (g.any_of.empty() && !g.family.empty()) add(g.family);
  }
  for (const CptCode& c : section.cpt_codes) {
    std::uint32_t id = release.Find(c.code);
    if (id != Release::kNone) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end(),
            [&](std::uint32_t a, std::uint32_t b) { return release.Preorder(a) < release.Preorder(b); });
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

bool PassesFilter(const CodeEntry& e, std::string_view filter_lower, const std::vector<std::string>& words) {
  if (filter_lower.empty()) return true;
  if (Lower(e.code).starts_with(filter_lower)) return true;
  std::vector<std::string> title = Words(e.title);
  return !words.empty() && std::all_of(words.begin(), words.end(), [&](const std::string& w) {
    return std::any_of(title.begin(), title.end(), [&](const std::string& t) { return t.starts_with(w); });
  });
}

}  // namespace

std::vector<ValueSetRef> GuidanceValueSets(const Engine& engine) {
  std::vector<ValueSetRef> out;
  for (const Recommendation& rec : engine.guidance().all()) {
    for (const Section& section : rec.sections) {
      auto releases = engine.catalog().ReleasesOf(section.classification);
      if (releases.empty()) continue;
      ValueSetRef vs;
      vs.id = "guidance-" + rec.id + "-" + SystemSlug(section.classification);
      vs.url = std::string(kClincodeCanonicalBase) + "/ValueSet/" + vs.id;
      vs.title =
          "The " + std::string(CodeSystemName(section.classification)) + " codes " + rec.id + " allows: " + rec.title;
      vs.release = releases.front();
      vs.kind = ValueSetRef::Kind::kList;
      vs.ids = SectionMembers(section, *vs.release);
      out.push_back(std::move(vs));
    }
  }
  return out;
}

Result<ValueSetRef> ResolveValueSet(const Engine& engine, const std::vector<ValueSetRef>& guidance_sets,
                                    std::string_view url, std::string_view version) {
  std::size_t marker = url.find(kImplicitMarker);
  if (marker == std::string_view::npos) {
    for (const ValueSetRef& vs : guidance_sets) {
      if (vs.url == url || vs.id == url) return vs;
    }
    return NotFound("value set \"" + std::string(url) +
                    "\" is not known: use <system>?fhir_vs, <system>?fhir_vs=isa/<code> or a recommendation's "
                    "value set (GET /fhir/ValueSet)");
  }
  std::string_view system = url.substr(0, marker);
  std::string_view rest = url.substr(marker + kImplicitMarker.size());
  auto releases = ReleasesFor(engine.catalog(), system, version);
  if (releases.empty()) {
    return NotFound("code system \"" + std::string(system) + "\"" +
                    (version.empty() ? "" : " version \"" + std::string(version) + "\"") + " is not loaded");
  }
  ValueSetRef vs;
  vs.url = std::string(url);
  vs.release = releases.front();
  if (rest.empty()) {
    vs.title = "All of " + vs.release->Name();
    return vs;
  }
  if (!rest.starts_with("=isa/")) {
    return InvalidArgument("implicit value set \"" + std::string(url) +
                           "\": after ?fhir_vs only =isa/<code> is supported");
  }
  std::string code(rest.substr(5));
  auto id = vs.release->Lookup(code);
  if (!id.ok()) return NotFound("code \"" + code + "\" is not in " + vs.release->Name());
  vs.kind = ValueSetRef::Kind::kSubtree;
  vs.root = *id;
  vs.title = vs.release->at(*id).code + " " + vs.release->at(*id).title + " and its descendants";
  return vs;
}

bool ValueSetContains(const ValueSetRef& vs, std::uint32_t id) {
  switch (vs.kind) {
    case ValueSetRef::Kind::kAll: return true;
    case ValueSetRef::Kind::kSubtree: return vs.release->InSubtree(id, vs.root);
    case ValueSetRef::Kind::kList: return std::find(vs.ids.begin(), vs.ids.end(), id) != vs.ids.end();
  }
  return false;
}

ExpansionPage ExpandValueSet(const ValueSetRef& vs, std::string_view filter, std::size_t offset, std::size_t count) {
  ExpansionPage out;
  std::string filter_lower = Lower(filter);
  std::vector<std::string> words = Words(filter);
  auto visit = [&](std::uint32_t id) {
    if (!PassesFilter(vs.release->at(id), filter_lower, words)) return;
    if (out.total >= offset && out.page.size() < count) out.page.push_back(id);
    ++out.total;
  };
  if (vs.kind == ValueSetRef::Kind::kList) {
    for (std::uint32_t id : vs.ids) visit(id);
    return out;
  }
  // The whole release, or one subtree, in preorder: walk from the roots (or the root) down.
  std::vector<std::uint32_t> stack;
  if (vs.kind == ValueSetRef::Kind::kSubtree) {
    stack.push_back(vs.root);
  } else {
    auto roots = vs.release->Roots();
    stack.assign(roots.rbegin(), roots.rend());
  }
  while (!stack.empty()) {
    std::uint32_t id = stack.back();
    stack.pop_back();
    visit(id);
    auto children = vs.release->Children(id);
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(*it);
  }
  return out;
}

}  // namespace clincode::server
