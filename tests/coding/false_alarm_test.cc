// The false-alarm evaluation (issue 16): synthetic episodes (bench/episode_generator.cc) with clean episodes
// mixed in whose main code is a generic code (K57.8, J12.8, V44.8, ...) and nothing else of any
// recommendation. None of those may get an error or a warning; the planted violations must still be found.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>

#include "clincode/validate_stream.h"
#include "episode_generator.h"
#include "support/test_support.h"

namespace clincode {
namespace {

class Tally : public FindingSink {
 public:
  void Write(const std::vector<Finding>& batch, const std::string&) override {
    for (const Finding& f : batch) {
      if (!bench::IsGenericEpisode(f.episode_id) || f.severity == Severity::kInfo) continue;
      alarms.insert(f.episode_id);
      if (examples.size() < 5) examples.push_back(f.episode_id + " " + f.rule_id + ": " + f.message);
    }
  }
  std::set<std::string> alarms;
  std::vector<std::string> examples;
};

struct Rates {
  std::size_t generic = 0, alarms = 0, findings = 0;
  std::vector<std::string> examples;
};

Rates Measure(std::shared_ptr<const Catalog> catalog) {
  auto guidance = *GuidanceLibrary::Load({});
  bench::GeneratorOptions options;
  options.episodes = 20000;
  options.generic = 0.2;
  options.generic_codes = bench::GenericCodesNearRecommendations(*guidance, *catalog);
  EXPECT_FALSE(options.generic_codes.empty());
  testing::TempFile file("synthetic.csv", "");
  std::FILE* f = std::fopen(file.path().c_str(), "wb");
  auto written = bench::WriteEpisodes(*catalog, options, f);
  std::fclose(f);
  Validator validator(catalog, *RuleSet::Load({}), guidance);
  Tally tally;
  auto summary = ValidateFile(file.path(), validator, &tally, {});
  EXPECT_TRUE(summary.ok());
  EXPECT_EQ(summary->episodes_checked, written.episodes);
  Rates r{written.generic, tally.alarms.size(), summary->findings, tally.examples};
  std::printf("false alarms: %zu of %zu generic clean episodes (%.3f%%), generic codes:", r.alarms, r.generic,
              r.generic ? 100.0 * static_cast<double>(r.alarms) / static_cast<double>(r.generic) : 0.0);
  for (const auto& c : options.generic_codes) std::printf(" %s", c.c_str());
  std::printf("\n");
  return r;
}

TEST(FalseAlarms, GenericCodesOnTheStarterData) {
  Rates r = Measure(Catalog::Starter());
  EXPECT_GT(r.generic, 3000u);
  EXPECT_EQ(r.alarms, 0u) << ::testing::PrintToString(r.examples);
  EXPECT_GT(r.findings, 0u);  // the planted violations are still found
}

TEST(FalseAlarms, GenericCodesOnTheOpenReleases) {
  std::string opcs = testing::SharedData("opcs4-ukb-coding240"), who = testing::SharedData("icd10-who-2019");
  if (opcs.empty() || who.empty()) GTEST_SKIP() << testing::kNoSharedData;
  CatalogOptions options;
  options.release_paths = {opcs, who};
  auto catalog = Catalog::Load(options);
  ASSERT_TRUE(catalog.ok()) << catalog.status().message();
  Rates r = Measure(*catalog);
  EXPECT_GT(r.generic, 3000u);
  EXPECT_EQ(r.alarms, 0u) << ::testing::PrintToString(r.examples);
}

}  // namespace
}  // namespace clincode
