#include <gtest/gtest.h>

#include "clincode/catalog.h"
#include "support/test_support.h"
#include "util/file.h"

namespace clincode {
namespace {

ReleaseFormat Detect(const std::string& relative) {
  auto content = file::ReadAll(testing::Fixture(relative));
  EXPECT_TRUE(content.ok());
  auto f = DetectReleaseFormat(*content, relative);
  EXPECT_TRUE(f.ok()) << relative << ": " << f.status().message();
  return f.ok() ? *f : ReleaseFormat::kBuiltin;
}

TEST(FormatDetect, EveryFixtureForm) {
  EXPECT_EQ(Detect("opcs4/OPCS410_sample.txt"), ReleaseFormat::kOpcs4Text);
  EXPECT_EQ(Detect("opcs4/OPCS411_sample.xml"), ReleaseFormat::kOpcs4Xml);
  EXPECT_EQ(Detect("opcs4/ukb_opcs4_tree_sample.tsv"), ReleaseFormat::kUkBiobankOpcs4);
  EXPECT_EQ(Detect("icd10/icd10_edition5_sample_GB_20160401.xml"), ReleaseFormat::kIcd10UkXml);
  EXPECT_EQ(Detect("icd10/icd10_edition5_sample_GB_20160401.txt"), ReleaseFormat::kIcd10UkText);
  EXPECT_EQ(Detect("who/who_icd10_sample_2019.xml"), ReleaseFormat::kWhoIcd10Xml);
  EXPECT_EQ(Detect("icd10cm/icd10cm_order_sample_2021.txt"), ReleaseFormat::kIcd10CmOrder);
  EXPECT_EQ(Detect("icd10cm/icd10cm_tabular_sample_2021.xml"), ReleaseFormat::kIcd10CmTabular);
  EXPECT_EQ(Detect("cpt/cpt_sample.csv"), ReleaseFormat::kCptCsv);
}

TEST(FormatDetect, HeaderlessIcd10TextIsNotMistakenForOpcs4) {
  auto f = DetectReleaseFormat("A17.0\tA170\tDAGGER\t1\tTuberculous meningitis\n", "x.txt");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, ReleaseFormat::kIcd10UkText);
}

TEST(FormatDetect, UnknownIsNamed) {
  auto f = DetectReleaseFormat("{\"json\": true}\n", "x.json");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(f.status().message().find("x.json: unknown release format"), std::string::npos);
}

}  // namespace
}  // namespace clincode
