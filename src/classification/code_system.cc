#include "clincode/code_system.h"

#include <string>

#include "util/text.h"

namespace clincode {

std::string_view CodeSystemName(CodeSystem system) {
  switch (system) {
    case CodeSystem::kOpcs4: return "OPCS-4";
    case CodeSystem::kIcd10: return "ICD-10";
    case CodeSystem::kIcd10Cm: return "ICD-10-CM";
    case CodeSystem::kCpt: return "CPT";
    case CodeSystem::kSnomedCt: return "SNOMED CT";
  }
  return "?";
}

std::string_view CodeSystemKey(CodeSystem system) {
  switch (system) {
    case CodeSystem::kOpcs4: return "opcs4";
    case CodeSystem::kIcd10: return "icd10";
    case CodeSystem::kIcd10Cm: return "icd10cm";
    case CodeSystem::kCpt: return "cpt";
    case CodeSystem::kSnomedCt: return "snomedct";
  }
  return "?";
}

Result<CodeSystem> ParseCodeSystem(std::string_view text) {
  std::string key;
  for (char c : text::Trim(text)) {
    if (c == '-' || c == ' ' || c == '_' || c == '.') continue;
    key.push_back(text::ToLower(c));
  }
  if (key == "snomed") key = "snomedct";
  if (key == "opcs" || key == "opcs410" || key == "opcs411") key = "opcs4";
  for (CodeSystem s : kAllCodeSystems) {
    if (key == CodeSystemKey(s)) return s;
  }
  return InvalidArgument("unknown code system \"" + std::string(text) +
                         "\" (expected one of opcs4, icd10, icd10cm, cpt)");
}

}  // namespace clincode
