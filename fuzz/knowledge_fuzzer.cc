// The YAML readers of knowledge users bring (--rules-dir, --guidance-dir): a rule file and a curated
// recommendation. The first byte picks the reader.
#include "clincode/guidance_library.h"
#include "clincode/rules.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size < 1 || size > 64 << 10) return 0;
  std::string_view yaml = fuzz::Text(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    auto rule = RuleSet::ReadRule(yaml, "fuzz.yaml");
    if (!rule.ok()) FUZZ_CHECK(rule.status().message().starts_with("fuzz.yaml"));
  } else {
    auto rec = ReadRecommendationYaml(yaml, "fuzz.yaml");
    if (rec.ok()) (void)RenderMarkdown(*rec, nullptr);
  }
  return 0;
}
