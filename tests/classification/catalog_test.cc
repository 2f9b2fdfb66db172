#include "clincode/catalog.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "support/test_support.h"

namespace clincode {
namespace {

using testing::Fixture;

TEST(Catalog, StarterFillsSystemsWithoutARelease) {
  CatalogOptions options;
  options.release_paths = {Fixture("opcs4/OPCS410_sample.txt")};
  auto c = Catalog::Load(options);
  ASSERT_TRUE(c.ok());
  std::vector<std::string> editions;
  for (const auto& r : (*c)->releases()) editions.push_back(r->info().edition);
  EXPECT_EQ(editions, (std::vector<std::string>{"OPCS-4.10", "ICD-10 built-in starter", "CPT built-in starter"}));
  options.starter_for_missing_systems = false;
  EXPECT_EQ((*Catalog::Load(options))->releases().size(), 1u);
}

TEST(Catalog, LookupAcrossSystemsWithPrefixAndErrors) {
  auto c = Catalog::Starter();
  auto k = c->Lookup(" k578 ");
  ASSERT_TRUE(k.ok());
  ASSERT_EQ(k->size(), 1u);
  EXPECT_EQ(k->front().entry().code, "K57.8");
  EXPECT_EQ(k->front().release->system(), CodeSystem::kOpcs4);
  auto i = c->Lookup("icd10:I500");
  ASSERT_TRUE(i.ok());
  EXPECT_EQ(i->front().entry().title, "Congestive heart failure");
  auto missing = c->Lookup("A01.1", CodeSystem::kOpcs4);
  ASSERT_FALSE(missing.ok());
  // A01.1 is real OPCS-4, just not in the starter data: not found, not malformed.
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  auto bad = c->Lookup("hello");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "\"hello\" is not a code of any loaded code system");
  auto chapter = c->Lookup("chapter z", CodeSystem::kOpcs4);
  ASSERT_TRUE(chapter.ok());
  EXPECT_EQ(chapter->front().entry().title, "Subsidiary Classification of Sites of Operation");
}

TEST(Catalog, FolderLoadsEveryFileInIt) {
  CatalogOptions options;
  options.release_paths = {Fixture("icd10cm")};
  options.starter_for_missing_systems = false;
  auto c = Catalog::Load(options);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ((*c)->releases().size(), 1u);
  EXPECT_EQ((*c)->releases()[0]->info().sources.size(), 2u);
}

// Regressions: a release folder with its README in it failed on the README; an empty folder silently gave
// the starter data; `--release /dev/zero` read until memory ran out.
TEST(Catalog, FoldersSkipDocumentsAndRefuseToBeEmpty) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("clincode-catalog-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "empty");
  fs::copy_file(Fixture("opcs4/OPCS410_sample.txt"), dir / "OPCS410_sample.txt");
  std::ofstream(dir / "README.txt") << "OPCS-4.10 data files. See the release notes.\n";
  std::ofstream(dir / "notes.pdf") << "%PDF-1.4\n\x01\x02\xff";
  CatalogOptions options;
  options.release_paths = {dir.string()};
  auto c = Catalog::Load(options);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ((*c)->releases().front()->info().edition, "OPCS-4.10");
  EXPECT_EQ((*c)->notes(), (std::vector<std::string>{"skipped " + (dir / "README.txt").string() + ": not a release file",
                                                    "skipped " + (dir / "notes.pdf").string() + ": not a release file"}));
  // Named directly, a file that is no release is still an error.
  options.release_paths = {(dir / "README.txt").string()};
  EXPECT_EQ(Catalog::Load(options).status().code(), StatusCode::kUnsupported);

  options.release_paths = {(dir / "empty").string()};
  auto empty = Catalog::Load(options);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "the folder " + (dir / "empty").string() + " has no release files in it");

  fs::remove(dir / "OPCS410_sample.txt");
  options.release_paths = {dir.string()};
  auto only_docs = Catalog::Load(options);
  ASSERT_FALSE(only_docs.ok());
  EXPECT_NE(only_docs.status().message().find("no release file among the 2 file(s) given"), std::string::npos)
      << only_docs.status().message();
  fs::remove_all(dir);

  options.release_paths = {"/dev/zero"};
  auto zero = Catalog::Load(options);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().message(), "/dev/zero is a device or pipe, not a file");
}

TEST(Catalog, ReadsSafelyFromManyThreads) {
  auto c = testing::LoadFixtures({"opcs4/OPCS410_sample.txt", "icd10/icd10_edition5_sample_GB_20160401.xml"});
  std::vector<std::thread> threads;
  std::atomic<int> found{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        auto h = c->Lookup(i % 2 ? "K578" : "C61X");
        if (h.ok()) ++found;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(found.load(), 8000);
}

TEST(Release, TreeNavigation) {
  auto r = StarterRelease(CodeSystem::kOpcs4);
  std::uint32_t v44 = r->Find("V44");
  std::uint32_t v444 = r->Find("V44.4");
  std::uint32_t chapter_v = r->Find("Chapter V");
  ASSERT_NE(v44, Release::kNone);
  EXPECT_TRUE(r->InSubtree(v444, v44));
  EXPECT_TRUE(r->InSubtree(v444, chapter_v));
  EXPECT_FALSE(r->InSubtree(v44, v444));
  EXPECT_FALSE(r->InSubtree(r->Find("Y53.4"), chapter_v));
  std::vector<std::string> kids;
  for (std::uint32_t k : r->Children(v44)) kids.push_back(r->at(k).code);
  EXPECT_EQ(kids.front(), "V44.1");
  EXPECT_EQ(kids.back(), "V44.9");
  EXPECT_EQ(kids.size(), 8u);
  EXPECT_EQ(r->Roots().size(), 25u);
  EXPECT_EQ(r->at(r->Roots().front()).code, "Chapter A");
}

}  // namespace
}  // namespace clincode
