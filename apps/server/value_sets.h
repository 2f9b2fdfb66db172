// Implicit value sets the FHIR endpoint expands and validates against: a whole loaded code system
// (`<system-uri>?fhir_vs`), a code and its descendants (`<system-uri>?fhir_vs=isa/V44`), and one per section
// of each recommendation, the codes it allows (`https://clincode.org/fhir/ValueSet/guidance-IPG655-opcs4`).
#ifndef CLINCODE_APPS_SERVER_VALUE_SETS_H_
#define CLINCODE_APPS_SERVER_VALUE_SETS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine.h"

namespace clincode::server {

struct ValueSetRef {
  enum class Kind { kAll, kSubtree, kList };
  std::string url;
  std::string id;  // for ValueSet/{id}/$expand; empty for the implicit system sets
  std::string title;
  const Release* release = nullptr;
  Kind kind = Kind::kAll;
  std::uint32_t root = 0;          // kSubtree
  std::vector<std::uint32_t> ids;  // kList, in the release's order
};

// The recommendation value sets, one per section whose system is loaded (made once, at start).
std::vector<ValueSetRef> GuidanceValueSets(const Engine& engine);
// `url` (or a recommendation value set's id). Fails with kNotFound naming the url (or a system not loaded,
// or a code not in it), kInvalidArgument for an implicit value set of an unknown form.
Result<ValueSetRef> ResolveValueSet(const Engine& engine, const std::vector<ValueSetRef>& guidance_sets,
                                    std::string_view url, std::string_view version);

// True when the entry `id` of the value set's release belongs to it.
bool ValueSetContains(const ValueSetRef& vs, std::uint32_t id);

struct ExpansionPage {
  std::size_t total = 0;            // members passing the filter
  std::vector<std::uint32_t> page;  // members [offset, offset + count) of those
};
// Members in the release's order; `filter` keeps codes starting with it or titles whose words start with
// each of its words (case-insensitive).
ExpansionPage ExpandValueSet(const ValueSetRef& vs, std::string_view filter, std::size_t offset, std::size_t count);

}  // namespace clincode::server

#endif  // CLINCODE_APPS_SERVER_VALUE_SETS_H_
