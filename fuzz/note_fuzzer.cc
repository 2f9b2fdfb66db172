// The note reader and the coding assistant on any note: facts read, a recommendation found or a clear
// "nothing fits", codes composed and checked by the validator.
#include "clincode/assistant.h"
#include "clincode/facts.h"
#include "coding_json.h"
#include "fuzz_support.h"
#include "json_output.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size > 64 << 10) return 0;
  std::string_view note = fuzz::Text(data, size);
  Facts facts = ExtractFacts(note);
  (void)facts;
  Facts given;
  (void)SetFactFromText(note, &given);
  const auto& engine = fuzz::StarterEngine();
  CodingRequest request;
  request.text = std::string(note);
  auto result = engine.assistant().Code(request);
  if (result.ok()) {
    FUZZ_CHECK(!nlohmann::json::parse(shapes::Dump(shapes::CodingResultJson(*result)), nullptr, false).is_discarded());
  }
  request.system = CodeSystem::kCpt;
  (void)engine.assistant().Code(request);
  return 0;
}
