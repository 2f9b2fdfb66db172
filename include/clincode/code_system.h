// The code systems clincode knows. ICD-10 UK 5th Edition and WHO ICD-10 are editions of one system (ICD-10);
// ICD-10-CM is a separate system because its codes and rules differ.
#ifndef CLINCODE_CODE_SYSTEM_H_
#define CLINCODE_CODE_SYSTEM_H_

#include <array>
#include <cstdint>
#include <string_view>

#include "clincode/status.h"

namespace clincode {

enum class CodeSystem : std::uint8_t {
  kOpcs4,     // OPCS Classification of Interventions and Procedures, version 4 (NHS England)
  kIcd10,     // ICD-10: UK 5th Edition and WHO editions
  kIcd10Cm,   // ICD-10-CM (United States)
  kCpt,       // CPT (AMA): codes only, descriptors only from a licensed user file
  kSnomedCt,  // SNOMED CT: reserved; no loader yet
};

inline constexpr std::array<CodeSystem, 5> kAllCodeSystems = {
    CodeSystem::kOpcs4, CodeSystem::kIcd10, CodeSystem::kIcd10Cm, CodeSystem::kCpt, CodeSystem::kSnomedCt};

// Display name: "OPCS-4", "ICD-10", "ICD-10-CM", "CPT", "SNOMED CT".
std::string_view CodeSystemName(CodeSystem system);
// Short key for flags, URLs and JSON: "opcs4", "icd10", "icd10cm", "cpt", "snomedct".
std::string_view CodeSystemKey(CodeSystem system);
// Accepts a key or a name in any case, with or without hyphens or spaces ("OPCS-4", "opcs4", "icd-10-cm").
// Fails with kInvalidArgument naming the text and the accepted keys.
Result<CodeSystem> ParseCodeSystem(std::string_view text);

}  // namespace clincode

#endif  // CLINCODE_CODE_SYSTEM_H_
