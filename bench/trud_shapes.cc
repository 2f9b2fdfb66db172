#include "trud_shapes.h"

#include <fmt/format.h>

#include <cstdio>
#include <vector>

#include "clincode/normalise.h"
#include "util/text.h"

namespace clincode::bench {
namespace {

bool InRange(const std::string& code, const char* lo, const char* hi) {
  std::string c = code.substr(0, 3);
  return c >= lo && c <= hi;
}

}  // namespace

std::size_t WriteOpcs411Xml(const Release& opcs4, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<dsv xmlns=\"https://www.digital.nhs.uk/opcs/codes\">\n", f);
  std::size_t rows = 0;
  for (std::uint32_t id : opcs4.CodesInOrder()) {
    const CodeEntry& e = opcs4.at(id);
    std::fprintf(f, "    <code CODE=\"%s\" TITLE=\"%s\"/>\n", text::EscapeMarkup(e.code).c_str(),
                 text::EscapeMarkup(e.title).c_str());
    ++rows;
  }
  std::fputs("</dsv>\n", f);
  std::fclose(f);
  return rows;
}

TrudCounts WriteIcd10UkXml(const Release& who, const std::string& path) {
  TrudCounts n;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return n;
  std::fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DSV xmlns=\"urn:nhs-org:icd-10\">\n", f);
  // Asterisk categories are the WHO titles "... in diseases classified elsewhere"; every 20th default code
  // of chapters A and B is made a dagger with a partner among them (one in three with three partners, ^).
  std::vector<std::string> asterisks;
  for (std::uint32_t id : who.CodesInOrder()) {
    const CodeEntry& e = who.at(id);
    if (e.title.find("in diseases classified elsewhere") != std::string::npos) asterisks.push_back(e.code);
  }
  std::size_t infectious = 0;
  for (std::uint32_t id : who.CodesInOrder()) {
    const CodeEntry& e = who.at(id);
    const std::string& c = e.code;
    std::string usage = "DEFAULT", qualifiers;
    int usage_uk = 3;
    if (e.title.find("in diseases classified elsewhere") != std::string::npos) {
      usage = "ASTERISK", usage_uk = 2, ++n.asterisk;
    } else if ((c[0] == 'A' || c[0] == 'B') && c.size() > 3 && ++infectious % 20 == 0 && !asterisks.empty()) {
      usage = "DAGGER", ++n.dagger;
      usage_uk = infectious % 60 == 0 ? 4 : 1;
      if (usage_uk == 1) {
        qualifiers = asterisks[infectious % asterisks.size()];
        if (infectious % 3 == 0) {
          qualifiers += "^" + asterisks[(infectious + 7) % asterisks.size()] + "^" +
                        asterisks[(infectious + 13) % asterisks.size()];
        }
      }
    } else if (c[0] >= 'V' && c[0] <= 'Z') {
      usage_uk = 0;
    }
    // GENDER_MASK 1 (not valid for males): female genital organs and pregnancy; 2: male genital organs.
    int gender = 0;
    if (InRange(c, "C51", "C58") || InRange(c, "N70", "N98") || c[0] == 'O') gender = 1;
    if (InRange(c, "C60", "C63") || InRange(c, "N40", "N51")) gender = 2;
    // Ages: pregnancy 10-55, perinatal conditions under one year, senility 65 and over.
    int min_age = -1, max_age = -1;
    if (c[0] == 'O') min_age = 10, max_age = 55;
    if (c[0] == 'P') max_age = 0;
    if (InRange(c, "R54", "R54")) min_age = 65;
    n.gender += gender != 0 ? 1 : 0;
    n.ages += min_age >= 0 || max_age >= 0 ? 1 : 0;
    std::string alt = CdsForm(CodeSystem::kIcd10, c, e.flags.undivided);
    std::string extra;
    if (!qualifiers.empty()) extra += fmt::format(" QUALIFIERS=\"{}\"", qualifiers);
    if (gender != 0) extra += fmt::format(" GENDER_MASK=\"{}\"", gender);
    if (min_age >= 0) extra += fmt::format(" MIN_AGE=\"{}\"", min_age);
    if (max_age >= 0) extra += fmt::format(" MAX_AGE=\"{}\"", max_age);
    std::fprintf(f, "  <CLASS CODE=\"%s\" ALT_CODE=\"%s\" USAGE=\"%s\" USAGE_UK=\"%d\" DESCRIPTION=\"%s\"%s />\n",
                 text::EscapeMarkup(c).c_str(), text::EscapeMarkup(alt).c_str(), usage.c_str(), usage_uk,
                 text::EscapeMarkup(e.title).c_str(), extra.c_str());
    ++n.rows;
  }
  std::fputs("</DSV>\n", f);
  std::fclose(f);
  return n;
}

}  // namespace clincode::bench
