// Micro benchmarks: code normalisation, lookup by canonical code and by user input, single searches, the
// note reader and the coding assistant on one note.
// Run: build/bench/micro_bench (uses ../shared/data when present, else the built-in data).
#include <benchmark/benchmark.h>

#include "bench_data.h"
#include "clincode/assistant.h"
#include "clincode/catalog.h"
#include "clincode/facts.h"
#include "clincode/normalise.h"
#include "clincode/search.h"

namespace {

using namespace clincode;

std::shared_ptr<const Catalog> SharedCatalog() {
  static std::shared_ptr<const Catalog> catalog = [] {
    CatalogOptions options;
    options.release_paths = bench::OpenReleaseFiles();
    return *Catalog::Load(options);
  }();
  return catalog;
}

const SearchIndex& SharedIndex() {
  static std::unique_ptr<SearchIndex> index = SearchIndex::Build(SharedCatalog());
  return *index;
}

// Codes spread over the releases, in the forms users type.
const std::vector<std::string> kInputs = {"K57.8", "k578", "I50.0", "I509", "C61X", "A170D", "S22.000A", "V44.4"};

void BM_Normalise(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = NormaliseCode(CodeSystem::kIcd10, kInputs[i++ % kInputs.size()]);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_Normalise);

// Release::Find on canonical codes of the largest release: the hash lookup alone.
void BM_ReleaseFind(benchmark::State& state) {
  const Release* largest = nullptr;
  for (const auto& rel : SharedCatalog()->releases()) {
    if (largest == nullptr || rel->size() > largest->size()) largest = rel.get();
  }
  const Release& r = *largest;
  std::vector<std::string> codes;
  for (std::uint32_t id = 0; id < r.size(); id += 97) codes.push_back(r.at(id).code);
  std::size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(r.Find(codes[i++ % codes.size()]));
}
BENCHMARK(BM_ReleaseFind);

// Release::Lookup on user input: normalise then find. This is what "lookup of a code" costs.
void BM_ReleaseLookup(benchmark::State& state) {
  auto releases = SharedCatalog()->ReleasesOf(CodeSystem::kOpcs4);
  const Release& r = *releases.front();
  const std::vector<std::string> inputs = {"K57.8", "k578", "V44.4", "y539", "Z94.2", "A01.1"};
  std::size_t i = 0;
  for (auto _ : state) {
    auto id = r.Lookup(inputs[i++ % inputs.size()]);
    benchmark::DoNotOptimize(id);
  }
}
BENCHMARK(BM_ReleaseLookup);

// Catalog::Lookup: the same code tried in every loaded release (the CLI's `lookup`).
void BM_CatalogLookup(benchmark::State& state) {
  std::size_t i = 0;
  for (auto _ : state) {
    auto hits = SharedCatalog()->Lookup(kInputs[i++ % kInputs.size()]);
    benchmark::DoNotOptimize(hits);
  }
}
BENCHMARK(BM_CatalogLookup);

void BM_Search(benchmark::State& state, const char* query) {
  const SearchIndex& index = SharedIndex();
  for (auto _ : state) {
    auto hits = index.Search(query, {});
    benchmark::DoNotOptimize(hits);
  }
}
BENCHMARK_CAPTURE(BM_Search, word, "heart failure");
BENCHMARK_CAPTURE(BM_Search, one_letter, "h");
BENCHMARK_CAPTURE(BM_Search, prefix, "fract");
BENCHMARK_CAPTURE(BM_Search, typo, "pnuemonia");
BENCHMARK_CAPTURE(BM_Search, code, "k578");

// Operation notes of each built-in recommendation, as written in the evaluation kit.
const char* const kNoteVertebroplasty =
    "Percutaneous vertebroplasty T12/L1 for osteoporotic compression fractures. "
    "Biplanar fluoroscopic guidance, bipedicular approach.";
const char* const kNoteCcm =
    "Implantation of CCM device (Optimizer) for HFrEF. 2 leads to RV septum under "
    "fluoroscopy, RA lead also placed.";
const char* const kNoteRfa =
    "Percutaneous RFA of 2 liver metastases (segments VI and VII) under ultrasound guidance. "
    "Sigmoid primary resected 2021.";

void BM_ExtractFacts(benchmark::State& state, const char* note) {
  for (auto _ : state) benchmark::DoNotOptimize(ExtractFacts(note));
}
BENCHMARK_CAPTURE(BM_ExtractFacts, vertebroplasty, kNoteVertebroplasty);

// The whole assistant: find the recommendation, read the note, fill the groups, order, validate.
void BM_CodeNote(benchmark::State& state, const char* note) {
  static auto assistant = [] {
    auto rules = RuleSet::Load({});
    auto guidance = GuidanceLibrary::Load({});
    auto validator = std::make_shared<const Validator>(SharedCatalog(), *rules, *guidance);
    return std::make_shared<CodingAssistant>(SharedCatalog(), *guidance, validator);
  }();
  for (auto _ : state) {
    auto r = assistant->Code({.text = note});
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(BM_CodeNote, vertebroplasty, kNoteVertebroplasty)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CodeNote, ccm, kNoteCcm)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_CodeNote, rfa, kNoteRfa)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
