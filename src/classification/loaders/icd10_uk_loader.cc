// ICD-10 5th Edition (UK) CodesAndTitlesAndMetadata readers, XML and tab-separated text. Both forms carry
// the same attributes; one function turns a row of them into an entry.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "classification/loaders/loaders.h"
#include "classification/loaders/xml_source.h"
#include "clincode/normalise.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode::loaders {
namespace {

// Column order of the distributed files; also the order assumed for a text file without a header row.
constexpr std::array<std::string_view, 12> kColumns = {"CODE",        "ALT_CODE",   "USAGE",      "USAGE_UK",
                                                       "DESCRIPTION", "MODIFIER_4", "MODIFIER_5", "QUALIFIERS",
                                                       "GENDER_MASK", "MIN_AGE",    "MAX_AGE",    "TREE_DESCRIPTION"};
enum Column {
  kCode,
  kAltCode,
  kUsage,
  kUsageUk,
  kDescription,
  kModifier4,
  kModifier5,
  kQualifiers,
  kGender,
  kMinAge,
  kMaxAge,
  kTree,
  kColumnCount
};

using Row = std::array<std::string_view, kColumnCount>;

ReleaseBuilder NewBuilder(const SourceFile& file, ReleaseFormat format) {
  ReleaseInfo info;
  info.system = CodeSystem::kIcd10;
  info.edition = "ICD-10 UK 5th Edition";
  info.version = "5th Edition";
  // "..._GB_20160401.xml": the release date, when the name carries one.
  std::string_view base = file::BaseName(file.path);
  for (std::size_t i = 0; i + 8 <= base.size(); ++i) {
    std::string_view d = base.substr(i, 8);
    if ((d.substr(0, 2) == "19" || d.substr(0, 2) == "20") &&
        std::all_of(d.begin(), d.end(), [](char c) { return text::IsDigit(c); })) {
      info.version = fmt::format("5th Edition ({}-{}-{})", d.substr(0, 4), d.substr(4, 2), d.substr(6, 2));
      break;
    }
  }
  info.sources = {file.path};
  info.formats = {format};
  return ReleaseBuilder(std::move(info));
}

Status ParseSmallInt(const SourceFile& file, LineRef line, std::string_view column, std::string_view value, int lo,
                     int hi, int* out) {
  value = text::Trim(value);
  int v = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || v < lo || v > hi) {
    return LineError(file, line, fmt::format("{} must be a number from {} to {}, found \"{}\"", column, lo, hi, value));
  }
  *out = v;
  return Status::Ok();
}

// The title shown for a row. A subdivision's DESCRIPTION is often only its category's words, its own
// meaning being in MODIFIER_4 (the fourth character: E10.0 "Type 1 diabetes mellitus" + "With coma") or
// MODIFIER_5 (the fifth: M45.X0 "Ankylosing spondylitis" + "Multiple sites in spine"). The parts are joined
// as "Type 1 diabetes mellitus, with coma", a part left out when the description already says it. On a
// category row a modifier names the axis of its subdivisions ("Site"), not the row's meaning.
std::string DisplayTitle(std::string_view code, std::string_view description, const Row& row) {
  std::string title(description);
  const std::size_t characters = code.size() - (code.find('.') == std::string_view::npos ? 0 : 1);
  auto join = [&](std::string_view modifier) {
    modifier = text::Trim(modifier);
    if (modifier.empty() || text::ContainsIgnoreCase(title, modifier)) return;
    title += ", ";
    // "With coma" -> "with coma"; an initialism or a name keeps its capital ("HIV disease", "Sézary").
    bool lower_first =
        modifier.size() > 1 && text::IsUpper(modifier[0]) && !text::IsUpper(modifier[1]) &&
        modifier.substr(0, modifier.find(' ')).find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1) == std::string_view::npos;
    title.push_back(lower_first ? static_cast<char>(modifier[0] - 'A' + 'a') : modifier[0]);
    title.append(modifier.substr(1));
  };
  if (characters >= 4) join(row[kModifier4]);
  if (characters >= 5) join(row[kModifier5]);
  return title;
}

Status AddRow(const SourceFile& file, LineRef line, const Row& row, ReleaseBuilder* builder) {
  auto code = NormaliseCode(CodeSystem::kIcd10, row[kCode]);
  if (!code.ok()) return LineError(file, line, code.status().message());
  CodeEntry e;
  e.kind = KindOfCode(code->code);
  e.code = code->code;
  e.title = std::string(text::Trim(row[kDescription]));
  if (e.title.empty()) return LineError(file, line, fmt::format("code {} has no DESCRIPTION", e.code));
  std::string_view alt = text::Trim(row[kAltCode]);
  if (!alt.empty()) {
    auto alt_code = NormaliseCode(CodeSystem::kIcd10, alt);
    if (!alt_code.ok() || alt_code->code != e.code) {
      return LineError(file, line, fmt::format("ALT_CODE \"{}\" does not match CODE {}", alt, e.code));
    }
    e.flags.undivided = alt_code->padded;
  }
  std::string_view usage = text::Trim(row[kUsage]);
  if (usage == "DAGGER")
    e.flags.usage = DaggerAsterisk::kDagger;
  else if (usage == "ASTERISK")
    e.flags.usage = DaggerAsterisk::kAsterisk;
  else if (!usage.empty() && usage != "DEFAULT")
    return LineError(file, line, fmt::format("USAGE must be DEFAULT, DAGGER or ASTERISK, found \"{}\"", usage));
  int v = 0;
  if (!text::Trim(row[kUsageUk]).empty()) {
    if (Status s = ParseSmallInt(file, line, "USAGE_UK", row[kUsageUk], 0, 4, &v); !s.ok()) return s;
    e.flags.usage_uk = static_cast<std::int8_t>(v);
  }
  if (!text::Trim(row[kGender]).empty()) {
    if (Status s = ParseSmallInt(file, line, "GENDER_MASK", row[kGender], 0, 2, &v); !s.ok()) return s;
    // 1: not valid for males; 2: not valid for females.
    e.flags.sex = v == 1 ? SexRestriction::kFemaleOnly : v == 2 ? SexRestriction::kMaleOnly : SexRestriction::kNone;
  }
  if (!text::Trim(row[kMinAge]).empty()) {
    if (Status s = ParseSmallInt(file, line, "MIN_AGE", row[kMinAge], 0, 150, &v); !s.ok()) return s;
    e.flags.min_age = static_cast<std::int16_t>(v);
  }
  if (!text::Trim(row[kMaxAge]).empty()) {
    if (Status s = ParseSmallInt(file, line, "MAX_AGE", row[kMaxAge], 0, 150, &v); !s.ok()) return s;
    e.flags.max_age = static_cast<std::int16_t>(v);
  }
  // QUALIFIERS: one asterisk code, or several joined by ^ ("I41.2^I98.1"), any of which is a valid partner.
  std::string_view qualifiers = text::Trim(row[kQualifiers]);
  if (!qualifiers.empty()) {
    for (std::string_view q : text::Split(qualifiers, '^')) {
      auto partner = NormaliseCode(CodeSystem::kIcd10, q);
      if (!partner.ok()) {
        return LineError(file, line,
                         fmt::format("QUALIFIERS \"{}\": \"{}\" is not an ICD-10 code ({})", qualifiers, text::Trim(q),
                                     partner.status().message()));
      }
      e.asterisk_partners.push_back(std::move(partner->code));
    }
  }
  for (Column c : {kModifier4, kModifier5}) {
    std::string_view m = text::Trim(row[c]);
    if (!m.empty()) e.notes.push_back({NoteKind::kModifier, std::string(m)});
  }
  e.title = DisplayTitle(e.code, e.title, row);
  std::string_view tree = text::Trim(row[kTree]);
  if (!tree.empty() && tree != e.title) e.notes.push_back({NoteKind::kNote, std::string(tree)});
  builder->Add(std::move(e));
  return Status::Ok();
}

}  // namespace

Result<ReleaseBuilder> LoadIcd10UkXml(const SourceFile& file) {
  pugi::xml_document doc;
  if (Status s = ParseXml(file, &doc); !s.ok()) return s;
  pugi::xml_node root = doc.document_element();
  if (!text::EqualsIgnoreCase(LocalName(root), "dsv")) {
    return LineError(file, LineOfNode(file, root), fmt::format("expected root element <DSV>, found <{}>", root.name()));
  }
  ReleaseBuilder builder = NewBuilder(file, ReleaseFormat::kIcd10UkXml);
  for (pugi::xml_node node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    const LineRef line = LineOfNode(file, node);
    if (LocalName(node) != "CLASS") {
      return LineError(file, line, fmt::format("unexpected element <{}> (expected <CLASS>)", node.name()));
    }
    if (!node.attribute("CODE") || !node.attribute("DESCRIPTION")) {
      return LineError(file, line, "<CLASS> needs CODE and DESCRIPTION attributes");
    }
    Row row{};
    for (std::size_t c = 0; c < kColumnCount; ++c) row[c] = node.attribute(kColumns[c].data()).value();
    if (Status s = AddRow(file, line, row, &builder); !s.ok()) return s;
  }
  if (builder.size() == 0) return LineError(file, 1, "no <CLASS> elements found");
  return builder;
}

Result<ReleaseBuilder> LoadIcd10UkText(const SourceFile& file) {
  ReleaseBuilder builder = NewBuilder(file, ReleaseFormat::kIcd10UkText);
  file::LineCursor cursor(file.content);
  std::string_view line;
  std::array<int, kColumnCount> where{};
  for (std::size_t c = 0; c < kColumnCount; ++c) where[c] = static_cast<int>(c);
  std::size_t width = kColumnCount;
  bool first = true;
  while (cursor.Next(&line)) {
    if (text::Trim(line).empty()) continue;
    auto f = text::Split(line, '\t');
    if (first) {
      first = false;
      if (text::Trim(f[0]) == "CODE") {  // a header row: columns may come in any order
        where.fill(-1);
        for (std::size_t i = 0; i < f.size(); ++i) {
          for (std::size_t c = 0; c < kColumnCount; ++c) {
            if (text::Trim(f[i]) == kColumns[c]) where[c] = static_cast<int>(i);
          }
        }
        if (where[kDescription] < 0)
          return LineError(file, cursor.line_number(), "the header has no DESCRIPTION column");
        width = f.size();
        continue;
      }
    }
    if (f.size() < std::min<std::size_t>(width, kDescription + 1)) {
      return LineError(file, cursor.line_number(),
                       fmt::format("expected {} tab-separated columns, found {}", width, f.size()));
    }
    Row row{};
    for (std::size_t c = 0; c < kColumnCount; ++c) {
      if (where[c] >= 0 && static_cast<std::size_t>(where[c]) < f.size()) row[c] = f[where[c]];
    }
    if (Status s = AddRow(file, cursor.line_number(), row, &builder); !s.ok()) return s;
  }
  if (builder.size() == 0) return LineError(file, cursor.line_number(), "no codes found");
  NoteUnterminatedLastRow(file, &builder);
  return builder;
}

}  // namespace clincode::loaders
