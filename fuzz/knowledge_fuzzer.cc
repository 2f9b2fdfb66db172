// The readers of knowledge files: those users bring (--rules-dir, --guidance-dir: a rule file and a curated
// recommendation) and the search lexicon and usage table. The first byte picks the reader.
#include "clincode/guidance_library.h"
#include "clincode/rules.h"
#include "fuzz_support.h"
#include "search/search_terms.h"
#include "search/usage_prior.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size < 1 || size > 64 << 10) return 0;
  std::string_view yaml = fuzz::Text(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto rule = RuleSet::ReadRule(yaml, "fuzz.yaml");
      if (!rule.ok()) FUZZ_CHECK(rule.status().message().starts_with("fuzz.yaml"));
      break;
    }
    case 1: {
      auto rec = ReadRecommendationYaml(yaml, "fuzz.yaml");
      if (rec.ok()) (void)RenderMarkdown(*rec, nullptr);
      break;
    }
    case 2: {
      auto terms = search::SearchTerms::Parse(yaml, "fuzz.yaml");
      if (!terms.ok()) {
        FUZZ_CHECK(terms.status().message().starts_with("fuzz.yaml"));
        break;
      }
      // Every reading is bounded, and the query as typed comes first.
      search::Words query = search::FoldedWords(yaml.substr(0, 80));
      auto readings = terms->Readings(query, 6);
      FUZZ_CHECK(!readings.empty() && readings.size() <= 6 && readings.front().words == query);
      for (const auto& w : query) (void)terms->SpellingVariants(w);
      break;
    }
    default: {
      auto usage = search::UsagePrior::Parse(yaml, "fuzz.tsv");
      if (!usage.ok()) FUZZ_CHECK(usage.status().message().starts_with("fuzz.tsv"));
      break;
    }
  }
  return 0;
}
