// The built-in starter releases, read from the knowledge files compiled into the library.
#include <fmt/format.h>

#include <cassert>
#include <charconv>
#include <mutex>

#include "classification/embedded.h"
#include "classification/loaders/loaders.h"
#include "classification/release_builder.h"
#include "clincode/catalog.h"
#include "clincode/normalise.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode {
namespace {

constexpr std::string_view kBuiltinSource = "built-in";

// Applies the attribute column of knowledge/starter/icd10.tsv ("usage=dagger;partner=G01;sex=male";
// several partners are joined by ^ as in the release: "partner=I41.2^I98.1").
void ApplyAttributes(std::string_view attrs, CodeEntry* e) {
  for (std::string_view kv : text::Split(attrs, ';')) {
    kv = text::Trim(kv);
    if (kv.empty()) continue;
    std::size_t eq = kv.find('=');
    std::string_view key = kv.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : kv.substr(eq + 1);
    int n = 0;
    std::from_chars(value.data(), value.data() + value.size(), n);
    if (key == "usage") e->flags.usage = value == "dagger" ? DaggerAsterisk::kDagger : DaggerAsterisk::kAsterisk;
    if (key == "partner") {
      for (std::string_view p : text::Split(value, '^')) e->asterisk_partners.emplace_back(text::Trim(p));
    }
    if (key == "sex") e->flags.sex = value == "male" ? SexRestriction::kMaleOnly : SexRestriction::kFemaleOnly;
    if (key == "min_age") e->flags.min_age = static_cast<std::int16_t>(n);
    if (key == "max_age") e->flags.max_age = static_cast<std::int16_t>(n);
    if (key == "undivided") e->flags.undivided = true;
  }
}

std::shared_ptr<const Release> BuildStarter(CodeSystem system, std::string_view file_name) {
  std::string name = "knowledge/starter/" + std::string(file_name);
  std::string_view content = embedded::Find(name);
  ReleaseInfo info;
  info.system = system;
  info.edition = std::string(CodeSystemName(system)) + " built-in starter";
  info.version = "clincode";
  info.sources = {std::string(kBuiltinSource)};
  info.formats = {ReleaseFormat::kBuiltin};
  info.builtin = true;
  ReleaseBuilder builder(std::move(info));
  file::LineCursor cursor(content);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (line.empty() || line[0] == '#') continue;
    auto f = text::Split(line, '\t');
    auto code = NormaliseCode(system, f[0]);
    // The starter files are part of the build and covered by tests; a bad row is a build defect.
    if (!code.ok() || f.size() < 2) {
      fmt::print(stderr, "clincode: built-in {} line {} is malformed\n", name, cursor.line_number());
      std::abort();
    }
    CodeEntry e;
    e.kind = system == CodeSystem::kCpt ? CodeKind::kCode : loaders::KindOfCode(code->code);
    e.code = std::move(code->code);
    e.title = std::string(f[1]);
    if (f.size() > 2) ApplyAttributes(f[2], &e);
    builder.Add(std::move(e));
  }
  // The starter tables are ours and tested; a cycle in them is a programming error.
  auto release = builder.Build({});
  assert(release.ok());
  return std::move(release).value();
}

}  // namespace

std::shared_ptr<const Release> StarterRelease(CodeSystem system) {
  static std::once_flag once;
  static std::shared_ptr<const Release> opcs4, icd10, cpt;
  std::call_once(once, [] {
    opcs4 = BuildStarter(CodeSystem::kOpcs4, "opcs4.tsv");
    icd10 = BuildStarter(CodeSystem::kIcd10, "icd10.tsv");
    cpt = BuildStarter(CodeSystem::kCpt, "cpt.tsv");
  });
  switch (system) {
    case CodeSystem::kOpcs4: return opcs4;
    case CodeSystem::kIcd10: return icd10;
    case CodeSystem::kCpt: return cpt;
    case CodeSystem::kIcd10Cm:
    case CodeSystem::kSnomedCt: return nullptr;
  }
  return nullptr;
}

}  // namespace clincode
