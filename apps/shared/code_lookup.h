// Looking a code up the way users type it, shared by `clincode lookup` and GET /v1/codes: a code in any usual
// form, or a category pattern ("C18.-") resolved to its category.
#ifndef CLINCODE_APPS_SHARED_CODE_LOOKUP_H_
#define CLINCODE_APPS_SHARED_CODE_LOOKUP_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/catalog.h"

namespace clincode::shapes {

struct CodeLookup {
  std::vector<Catalog::Hit> hits;
  std::string pattern;  // the pattern the input was, when it was one ("C18.-"); empty for a code
};

// Fails as Catalog::Lookup does (kInvalidArgument: not the shape of a code; kNotFound: no release holds it).
Result<CodeLookup> LookupCodeOrPattern(const Catalog& catalog, std::string_view input,
                                       std::optional<CodeSystem> system);

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_CODE_LOOKUP_H_
