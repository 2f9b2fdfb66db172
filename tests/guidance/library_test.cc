// The guidance library: built-in curated files, user folders, the markdown round trip, find and check.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "clincode/guidance_library.h"
#include "clincode/guidance_reader.h"
#include "support/test_support.h"

namespace clincode {
namespace {

std::shared_ptr<const GuidanceLibrary> Builtin() {
  auto lib = GuidanceLibrary::Load({});
  EXPECT_TRUE(lib.ok()) << lib.status().message();
  return *lib;
}

TEST(Library, BuiltInRecommendations) {
  auto lib = Builtin();
  std::vector<std::string> ids;
  for (const auto& r : lib->all()) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"CPT-CCM", "IPG12", "IPG327", "IPG366", "IPG655"}));
  const Recommendation* ccm = lib->Find("ipg655");
  ASSERT_NE(ccm, nullptr);
  EXPECT_EQ(ccm->related, (std::vector<std::string>{"CPT-CCM"}));
  EXPECT_FALSE(ccm->description.empty());
  const Recommendation* cpt = lib->Find("CPT-CCM");
  ASSERT_NE(cpt, nullptr);
  const auto& codes = cpt->SectionFor(CodeSystem::kCpt)->cpt_codes;
  ASSERT_EQ(codes.size(), 4u);
  EXPECT_EQ(codes[0].code, "0408T");
  EXPECT_EQ(codes[0].not_reported_with, (std::vector<std::string>{"0409T", "0410T", "0411T"}));
  // Every condition of the built-in library is machine-readable.
  for (const auto& r : lib->all()) {
    for (const auto& s : r.sections) {
      for (const auto& g : s.groups) {
        if (g.condition) {
          EXPECT_FALSE(g.condition->fact.empty()) << r.id << ": " << g.condition->text;
        }
        EXPECT_NE(g.role, GroupRole::kUnknown) << r.id;
      }
    }
  }
}

TEST(Library, MarkdownRoundTripForEveryBuiltIn) {
  auto lib = Builtin();
  auto catalog = Catalog::Starter();
  for (const auto& r : lib->all()) {
    for (const Catalog* c : {static_cast<const Catalog*>(nullptr), catalog.get()}) {
      std::string page = RenderMarkdown(r, c);
      auto back = ReadRecommendationText(page, {r.id + ".md"});
      ASSERT_TRUE(back.ok()) << r.id << ": " << back.status().message() << "\n" << page;
      std::string why;
      EXPECT_TRUE(SameStructure(r, *back, &why)) << r.id << ": " << why << "\n" << page;
      EXPECT_TRUE(back->unparsed.empty()) << r.id << ": " << back->unparsed.front();
      EXPECT_EQ(back->related, r.related);
    }
  }
}

TEST(Library, YamlRoundTripForEveryBuiltIn) {
  auto lib = Builtin();
  for (const auto& r : lib->all()) {
    std::string yaml = WriteRecommendationYaml(r);
    auto back = ReadRecommendationYaml(yaml, r.id + ".yaml");
    ASSERT_TRUE(back.ok()) << r.id << ": " << back.status().message() << "\n" << yaml;
    std::string why;
    EXPECT_TRUE(SameStructure(r, *back, &why)) << r.id << ": " << why << "\n" << yaml;
    EXPECT_EQ(back->related, r.related);
    EXPECT_EQ(back->written_for, r.written_for);
    for (std::size_t s = 0; s < r.sections.size(); ++s) {
      for (std::size_t g = 0; g < r.sections[s].groups.size(); ++g) {
        EXPECT_EQ(back->sections[s].groups[g].titles, r.sections[s].groups[g].titles) << r.id;
      }
    }
  }
}

TEST(Library, ScenariosAndConstraintsFromYaml) {
  auto r = ReadRecommendationYaml(
      "id: XPG2\ntitle: T\nsections:\n  - classification: OPCS-4\n    scenarios:\n      - label: With stenting\n"
      "        groups:\n          - any_of: [L76.-]\n    constraints:\n      - text: no .9\n        codes: [L76.9]\n",
      "x.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  const Section& s = r->sections[0];
  ASSERT_EQ(s.scenarios.size(), 1u);
  EXPECT_EQ(s.scenarios[0].fact, "stenting=yes");  // derived from the label when not written
  EXPECT_EQ(s.scenarios[0].groups[0].role, GroupRole::kMain);
  EXPECT_EQ(s.constraints[0].codes, std::vector<std::string>{"L76.9"});
  auto bad = ReadRecommendationYaml(
      "id: X\ntitle: T\nsections:\n  - classification: OPCS-4\n    scenarios:\n      - label: L\n", "x.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("x.yaml:6"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("a scenario needs \"groups\""), std::string::npos);
}

TEST(Library, RenderedPageUsesReleaseTitles) {
  auto lib = Builtin();
  std::string page = RenderMarkdown(*lib->Find("IPG12"), Catalog::Starter().get());
  EXPECT_NE(page.find("# IPG12 - Percutaneous vertebroplasty"), std::string::npos);
  EXPECT_NE(page.find("**V55.-** Levels of spine"), std::string::npos);
  EXPECT_NE(page.find("**Y53.-** Approach to organ under image control (if image control is used)"), std::string::npos);
  EXPECT_NE(page.find("\nOr\n"), std::string::npos);
  EXPECT_NE(page.find("Site code\n"), std::string::npos);
}

TEST(Library, FindByCodeOrPattern) {
  auto lib = Builtin();
  auto ids = [&](std::string_view code) {
    std::vector<std::string> out;
    auto m = lib->Mentioning(code);
    EXPECT_TRUE(m.ok()) << code;
    for (const auto& x : *m) out.push_back(x.recommendation->id + (x.via_placeholder ? "*" : ""));
    return out;
  };
  EXPECT_EQ(ids("Y53.4"), (std::vector<std::string>{"IPG12", "IPG327", "IPG366", "IPG655"}));
  EXPECT_EQ(ids("Y53.-"), (std::vector<std::string>{"IPG12", "IPG327", "IPG366", "IPG655"}));
  EXPECT_EQ(ids("k578"), (std::vector<std::string>{"IPG655"}));
  EXPECT_EQ(ids("C18.2"), (std::vector<std::string>{"IPG327"}));
  EXPECT_EQ(ids("Z66.5"), (std::vector<std::string>{"IPG12*", "IPG366*"}));  // site placeholders
  EXPECT_EQ(ids("0410T"), (std::vector<std::string>{"CPT-CCM"}));
  EXPECT_TRUE(ids("A01.1").empty());
  EXPECT_FALSE(lib->Mentioning("hello").ok());
}

TEST(Library, UserFolderAddsAndReplaces) {
  testing::TempFile yaml("ipg1000.yaml", R"(id: IPG1000
title: Example user recommendation
sections:
  - classification: OPCS-4
    groups:
      - any_of: [K57.1]
)");
  std::string dir = std::filesystem::path(yaml.path()).parent_path().string();
  std::ofstream(dir + "/ipg655.txt") << "IPG655 - Replaced by the user\n\nOPCS-4 code(s):\n\nK57.9 Unspecified\n";
  GuidanceLibraryOptions options;
  options.dirs = {dir};
  auto lib = GuidanceLibrary::Load(options);
  ASSERT_TRUE(lib.ok()) << lib.status().message();
  EXPECT_EQ((*lib)->all().size(), 6u);
  ASSERT_NE((*lib)->Find("IPG1000"), nullptr);
  EXPECT_EQ((*lib)->Find("IPG1000")->sections[0].groups[0].role, GroupRole::kMain);
  EXPECT_EQ((*lib)->Find("IPG655")->title, "Replaced by the user");
}

TEST(Library, BadFilesFailWithLine) {
  auto bad = ReadRecommendationYaml(
      "id: X1\nsections:\n  - classification: OPCS-4\n    groups:\n      - any_of: [K5X.8]\n", "x.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "x.yaml:5: malformed OPCS-4 code \"K5X.8\": expected a letter and two digits, as in K57.8");
  auto role = ReadRecommendationYaml(
      "id: X1\nsections:\n  - classification: OPCS-4\n    groups:\n      - any_of: [K57.8]\n        role: boss\n",
      "x.yaml");
  ASSERT_FALSE(role.ok());
  EXPECT_EQ(role.status().message(), "x.yaml:6: unknown role \"boss\"");
  auto syntax = ReadRecommendationYaml("id: [unclosed\n", "x.yaml");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.status().message().rfind("x.yaml:", 0), 0u);
  auto missing = GuidanceLibrary::Load({{"/nonexistent/guidance"}, true});
  EXPECT_FALSE(missing.ok());
}

TEST(Library, CheckAgainstAFullerRelease) {
  auto lib = Builtin();
  // The fixture OPCS-4 release holds some of the codes, a retired one and an older title.
  testing::TempFile release("OPCS410_check.txt",
                            "K57\tOther therapeutic transluminal operations on heart\r\n"
                            "K57.8\tOther specified other therapeutic transluminal operations on heart\r\n"
                            "V44\tDecompression of fracture of spine\r\n"
                            "V44.4\tVertebroplasty of fracture of spine\r\n"
                            "V44.6\tCode retired - refer to introduction\r\n"
                            "J12\tOther therapeutic percutaneous operations on liver\r\n"
                            "J12.4\tRadiofrequency ablation of liver (old title)\r\n");
  CatalogOptions options;
  options.release_paths = {release.path()};
  options.starter_for_missing_systems = false;
  auto catalog = Catalog::Load(options);
  ASSERT_TRUE(catalog.ok());
  auto problems = CheckGuidance(*lib, **catalog);
  auto has = [&](const std::string& id, const std::string& kind, const std::string& code) {
    for (const auto& p : problems) {
      if (p.guidance_id == id && p.kind == kind && p.code == code) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("IPG12", "retired_code", "V44.6"));
  EXPECT_TRUE(has("IPG327", "title_changed", "J12.4"));
  EXPECT_TRUE(has("IPG655", "unknown_code", "Y02.1"));
  EXPECT_TRUE(has("IPG655", "empty_pattern", "Y53.-"));
  EXPECT_TRUE(has("IPG12", "empty_pattern", "Chapter Z"));  // the site placeholder's family
  EXPECT_FALSE(has("IPG655", "unknown_code", "K57.8"));
  // Against the starter data the library is consistent.
  EXPECT_TRUE(CheckGuidance(*lib, *Catalog::Starter()).empty());
}

}  // namespace
}  // namespace clincode
