// Every release loader on hostile files. The first byte picks the form (so one target covers all ten and
// its corpus holds every fixture); the rest is the file. A file that loads must build into a tree: every
// entry's ancestors end at a root, every child lies in its parent's subtree.
#include "classification/loaders/loaders.h"
#include "clincode/catalog.h"
#include "fuzz_support.h"
#include "util/file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size < 1) return 0;
  std::string_view content = fuzz::Text(data + 1, size - 1);
  (void)DetectReleaseFormat(content, "fuzz");
  // The catalog checks UTF-8 before any loader runs; loaders may assume it.
  if (!file::CheckUtf8(content, "fuzz").ok()) return 0;
  loaders::SourceFile file{"fuzz_2021.txt", file::StripBom(content)};
  using Loader = Result<ReleaseBuilder> (*)(const loaders::SourceFile&);
  static constexpr Loader kLoaders[] = {
      loaders::LoadOpcs4Text,   loaders::LoadOpcs4Xml,    loaders::LoadUkBiobankOpcs4, loaders::LoadIcd10UkXml,
      loaders::LoadIcd10UkText, loaders::LoadWhoIcd10Xml, loaders::LoadIcd10CmOrder,   loaders::LoadIcd10CmTabular,
      loaders::LoadCptCsv,      loaders::LoadIcd10CmIndex};
  auto builder = kLoaders[data[0] % (sizeof kLoaders / sizeof kLoaders[0])](file);
  if (!builder.ok()) {
    // An error names the file.
    FUZZ_CHECK(builder.status().message().starts_with("fuzz_2021.txt"));
    return 0;
  }
  auto release = builder->Build({});
  if (!release.ok()) return 0;
  const Release& r = **release;
  for (std::uint32_t id = 0; id < r.size(); ++id) {
    auto ancestors = r.Ancestors(id);
    FUZZ_CHECK(ancestors.size() < r.size());
    for (std::uint32_t a : ancestors) FUZZ_CHECK(r.InSubtree(id, a));
    for (std::uint32_t c : r.Children(id)) FUZZ_CHECK(r.at(c).parent == id && r.InSubtree(c, id));
    FUZZ_CHECK(r.Find(r.at(id).code) == id);
  }
  return 0;
}
