#include "code_lookup.h"

#include "clincode/code_pattern.h"

namespace clincode::shapes {

Result<CodeLookup> LookupCodeOrPattern(const Catalog& catalog, std::string_view input,
                                       std::optional<CodeSystem> system) {
  auto hits = catalog.Lookup(input, system);
  if (hits.ok()) return CodeLookup{std::move(hits).value(), ""};
  CodeLookup out;
  for (const auto& r : catalog.releases()) {
    if (system && r->system() != *system) continue;
    auto p = CodePattern::Parse(r->system(), input);
    if (!p.ok() || p->kind() != CodePattern::Kind::kCategory) continue;
    std::uint32_t id = r->Find(p->ToString().substr(0, 3));
    if (id != Release::kNone) out.hits.push_back({r.get(), id});
  }
  if (out.hits.empty()) return hits.status();
  out.pattern = std::string(input);
  return out;
}

}  // namespace clincode::shapes
