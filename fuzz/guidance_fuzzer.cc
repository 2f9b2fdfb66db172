// The reader of published NICE texts, on any text: a recommendation read is completed, rendered as a page
// and as JSON, and checked against the built-in releases.
#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "fuzz_support.h"
#include "guidance_json.h"
#include "json_output.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size > 64 << 10) return 0;
  const auto& engine = fuzz::StarterEngine();
  auto rec = ReadRecommendationText(fuzz::Text(data, size), {"fuzz.txt"});
  if (!rec.ok()) return 0;
  std::string page = RenderMarkdown(*rec, &engine.catalog());
  (void)ReadRecommendationText(page, {"fuzz.md"});
  std::string json = shapes::Dump(shapes::RecommendationJson(*rec));
  FUZZ_CHECK(!nlohmann::json::parse(json, nullptr, false).is_discarded());
  return 0;
}
