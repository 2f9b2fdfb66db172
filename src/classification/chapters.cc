#include "classification/chapters.h"

#include <cassert>
#include <map>

#include "classification/embedded.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode::chapters {
namespace {

struct Tables {
  std::vector<Opcs4Chapter> opcs4;
  std::map<std::string, char, std::less<>> overflow;  // "O14" -> 'Z'
  std::vector<Icd10Chapter> icd10;
};

// The embedded files are part of the build; a malformed row is a build defect caught by the tests, so it
// is asserted rather than reported.
Tables ReadTables() {
  Tables t;
  file::LineCursor opcs(embedded::Find("knowledge/starter/opcs4_chapters.tsv"));
  std::string_view line;
  while (opcs.Next(&line)) {
    if (line.empty() || line[0] == '#') continue;
    auto f = text::Split(line, '\t');
    assert(f.size() == 3);
    if (f[0] == "chapter") t.opcs4.push_back({f[1][0], std::string(f[2])});
    if (f[0] == "overflow") t.overflow.emplace(std::string(f[1]), f[2][0]);
  }
  file::LineCursor icd(embedded::Find("knowledge/starter/icd10_chapters.tsv"));
  while (icd.Next(&line)) {
    if (line.empty() || line[0] == '#') continue;
    auto f = text::Split(line, '\t');
    assert(f.size() == 4);
    t.icd10.push_back({std::string(f[0]), std::string(f[1]), std::string(f[2]), std::string(f[3])});
  }
  return t;
}

const Tables& GetTables() {
  static const Tables tables = ReadTables();
  return tables;
}

}  // namespace

const std::vector<Opcs4Chapter>& Opcs4Chapters() { return GetTables().opcs4; }
const std::vector<Icd10Chapter>& Icd10Chapters() { return GetTables().icd10; }

char Opcs4EffectiveChapter(std::string_view code) {
  if (code.empty()) return '\0';
  if (code[0] == 'O' && code.size() >= 3) {
    const auto& overflow = GetTables().overflow;
    auto it = overflow.find(code.substr(0, 3));
    if (it != overflow.end()) return it->second;
  }
  return code[0];
}

bool IsOpcs4Subsidiary(std::string_view code) {
  char c = Opcs4EffectiveChapter(code);
  return c == 'Y' || c == 'Z';
}

const Icd10Chapter* Icd10ChapterOf(std::string_view code) {
  if (code.size() < 3) return nullptr;
  std::string_view cat = code.substr(0, 3);
  for (const Icd10Chapter& ch : GetTables().icd10) {
    if (cat >= ch.first && cat <= ch.last) return &ch;
  }
  return nullptr;
}

std::string ChapterCode(std::string_view key) { return "Chapter " + std::string(key); }

}  // namespace clincode::chapters
