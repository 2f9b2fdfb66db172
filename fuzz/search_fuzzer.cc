// Search queries as users type them, with every option: the answer is hits or a clear invalid-argument error,
// never more hits than the limit, each code once, each from a release the scope covers, best first.
#include <set>

#include "clincode/catalog.h"
#include "clincode/search.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size < 1 || size > 1024) return 0;
  static const auto catalog = Catalog::Starter();
  static const auto index = SearchIndex::Build(catalog);
  // First byte: the options. Bits 0-2 the system (none, all, then each), bit 3 no typos, bits 4-7 the limit.
  const std::uint8_t o = data[0];
  SearchOptions options;
  const unsigned system = o & 7u;
  if (system == 1) options.all_systems = true;
  if (system >= 2 && system - 2 < kAllCodeSystems.size()) options.system = kAllCodeSystems[system - 2];
  options.typo_tolerance = (o & 8u) == 0;
  static constexpr std::size_t kLimits[] = {1, 2, 5, 10, 20, 50, 100, 1000, 0, 1001, 3, 7, 20, 20, 20, 20};
  options.limit = kLimits[o >> 4];
  std::string_view query = fuzz::Text(data + 1, size - 1);
  auto hits = index->Search(query, options);
  if (!hits.ok()) {
    FUZZ_CHECK(hits.status().code() == StatusCode::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(hits->size() <= options.limit);
  auto searched = index->Searched(options);
  std::set<std::pair<const Release*, std::uint32_t>> seen;
  for (std::size_t i = 0; i < hits->size(); ++i) {
    const SearchHit& h = (*hits)[i];
    FUZZ_CHECK(h.id < h.release->size());
    FUZZ_CHECK(std::find(searched.begin(), searched.end(), h.release) != searched.end());
    FUZZ_CHECK(seen.insert({h.release, h.id}).second);
    if (i > 0) FUZZ_CHECK((*hits)[i - 1].score >= h.score);
  }
  return 0;
}
