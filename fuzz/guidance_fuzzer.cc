// The reader of published NICE texts, on any text: a recommendation read is completed, rendered as a page
// and as JSON, checked against the built-in releases, and used by the coding assistant on two notes (the
// text itself, and a note that states every fact the composer reads), so ways of coding, conditions and
// the standards run on any recommendation.
#include "clincode/assistant.h"
#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "fuzz_support.h"
#include "guidance_json.h"
#include "json_output.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size > 64 << 10) return 0;
  const auto& engine = fuzz::StarterEngine();
  auto rec = ReadRecommendationText(fuzz::Text(data, size), {"fuzz.txt", &engine.catalog()});
  if (!rec.ok()) return 0;
  for (const char* note : {"",
                           "Dx: liver metastases; primary resected.\nLaparoscopic ablation, L) kidney, under US "
                           "guidance, 24+3/40, two stents, TOE used, no clips. T12/L1."}) {
    CodingRequest request;
    request.text = *note != 0 ? std::string(note) : std::string(fuzz::Text(data, size));
    request.recommendation = *rec;
    auto coded = engine.assistant().Code(request);
    if (coded.ok()) {
      FUZZ_CHECK(coded->procedures.size() < 10000);
      for (const auto& c : coded->conditions)
        FUZZ_CHECK(c.state == "met" || c.state == "unmet" || c.state == "unknown");
    }
  }
  std::string page = RenderMarkdown(*rec, &engine.catalog());
  (void)ReadRecommendationText(page, {"fuzz.md"});
  std::string json = shapes::Dump(shapes::RecommendationJson(*rec));
  FUZZ_CHECK(!nlohmann::json::parse(json, nullptr, false).is_discarded());
  return 0;
}
