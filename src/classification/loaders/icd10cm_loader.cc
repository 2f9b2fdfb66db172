// ICD-10-CM readers: the fixed-width order file and the tabular XML with its instructional notes.
#include <fmt/format.h>

#include <algorithm>

#include "classification/chapters.h"
#include "classification/loaders/loaders.h"
#include "classification/loaders/xml_source.h"
#include "clincode/normalise.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode::loaders {
namespace {

ReleaseBuilder NewBuilder(const SourceFile& file, ReleaseFormat format, std::string version) {
  ReleaseInfo info;
  info.system = CodeSystem::kIcd10Cm;
  info.version = std::move(version);
  info.edition = info.version.empty() ? "ICD-10-CM" : "ICD-10-CM " + info.version;
  info.sources = {file.path};
  info.formats = {format};
  return ReleaseBuilder(std::move(info));
}

NoteKind NoteKindOf(std::string_view element, bool* known) {
  *known = true;
  if (element == "inclusionTerm") return NoteKind::kInclusion;
  if (element == "includes") return NoteKind::kIncludes;
  if (element == "excludes1") return NoteKind::kExcludes1;
  if (element == "excludes2") return NoteKind::kExcludes2;
  if (element == "codeFirst") return NoteKind::kCodeFirst;
  if (element == "useAdditionalCode") return NoteKind::kUseAdditionalCode;
  if (element == "codeAlso") return NoteKind::kCodeAlso;
  if (element == "notes") return NoteKind::kNote;
  *known = false;
  return NoteKind::kNote;
}

// Attaches the notes of `node` (inclusion terms, excludes, ...) to `entry`.
void ReadNotes(const pugi::xml_node& node, CodeEntry* entry) {
  for (pugi::xml_node child : node.children()) {
    std::string_view name = child.name();
    if (name == "sevenChrDef") {
      for (pugi::xml_node ext : child.children("extension")) {
        entry->notes.push_back({NoteKind::kSeventhCharacter,
                                fmt::format("{}: {}", ext.attribute("char").value(), text::Trim(ext.child_value()))});
      }
      continue;
    }
    bool known = false;
    NoteKind kind = NoteKindOf(name, &known);
    if (!known) continue;
    for (pugi::xml_node note : child.children("note")) {
      std::string_view t = text::Trim(note.child_value());
      if (!t.empty()) entry->notes.push_back({kind, std::string(t)});
    }
  }
}

struct TabularReader {
  const SourceFile& file;
  ReleaseBuilder* builder;

  // `seven_chr` tells whether a sevenChrDef above applies, in which case a leaf is not yet billable.
  Status ReadDiag(const pugi::xml_node& diag, const std::string& parent, bool seven_chr, int depth) {
    const LineRef line = LineOfNode(file, diag);
    if (depth > kMaxXmlDepth) {
      return LineError(file, line,
                       fmt::format("<diag> elements nested over {} deep; the classification is not", kMaxXmlDepth));
    }
    auto code = NormaliseCode(CodeSystem::kIcd10Cm, diag.child_value("name"));
    if (!code.ok()) return LineError(file, line, code.status().message());
    CodeEntry e;
    e.kind = KindOfCode(code->code);
    e.code = code->code;
    e.title = std::string(text::Trim(diag.child_value("desc")));
    if (e.title.empty()) return LineError(file, line, fmt::format("<diag> {} has no <desc>", e.code));
    ReadNotes(diag, &e);
    seven_chr = seven_chr || diag.child("sevenChrDef");
    e.flags.billable = !diag.child("diag") && !seven_chr;
    builder->Add(std::move(e), parent);
    for (pugi::xml_node child : diag.children("diag")) {
      if (Status s = ReadDiag(child, code->code, seven_chr, depth + 1); !s.ok()) return s;
    }
    return Status::Ok();
  }

  Status ReadChapter(const pugi::xml_node& chapter) {
    std::string_view number = text::Trim(chapter.child_value("name"));
    if (number.empty()) return LineError(file, LineOfNode(file, chapter), "<chapter> has no <name>");
    CodeEntry ch;
    ch.kind = CodeKind::kChapter;
    ch.code = chapters::ChapterCode(number);
    ch.title = std::string(text::Trim(chapter.child_value("desc")));
    ReadNotes(chapter, &ch);
    std::string chapter_code = ch.code;
    builder->Add(std::move(ch));
    for (pugi::xml_node section : chapter.children("section")) {
      CodeEntry block;
      block.kind = CodeKind::kBlock;
      block.code = text::ToUpperAscii(text::Trim(section.attribute("id").value()));
      if (block.code.empty()) return LineError(file, LineOfNode(file, section), "<section> has no id");
      // A one-category section ("B10") gets the range form so it cannot merge with category B10.
      if (block.code.find('-') == std::string::npos) block.code += "-" + block.code;
      block.title = std::string(text::Trim(section.child_value("desc")));
      ReadNotes(section, &block);
      std::string block_code = block.code;
      builder->Add(std::move(block), chapter_code);
      for (pugi::xml_node diag : section.children("diag")) {
        if (Status s = ReadDiag(diag, block_code, false, 3); !s.ok()) return s;
      }
    }
    return Status::Ok();
  }
};

}  // namespace

Result<ReleaseBuilder> LoadIcd10CmOrder(const SourceFile& file) {
  ReleaseBuilder builder = NewBuilder(file, ReleaseFormat::kIcd10CmOrder, YearInFileName(file.path));
  builder.Reserve(static_cast<std::size_t>(std::count(file.content.begin(), file.content.end(), '\n')) + 1);
  file::LineCursor cursor(file.content);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (text::Trim(line).empty()) continue;
    const std::size_t n = cursor.line_number();
    // order(5) space code(7) space billable(1) space short(60) space long
    if (line.size() < 16 || line[5] != ' ' || line[13] != ' ' || line[15] != ' ') {
      return LineError(file, n,
                       "not an order-file row (order number, code, billable flag and titles in fixed "
                       "columns)");
    }
    for (char c : line.substr(0, 5)) {
      if (!text::IsDigit(c))
        return LineError(file, n, fmt::format("order number \"{}\" is not 5 digits", line.substr(0, 5)));
    }
    if (line[14] != '0' && line[14] != '1') {
      return LineError(file, n, fmt::format("billable flag must be 0 or 1, found \"{}\"", line[14]));
    }
    auto code = NormaliseCode(CodeSystem::kIcd10Cm, line.substr(6, 7));
    if (!code.ok()) return LineError(file, n, code.status().message());
    std::string_view title = line.size() > 77 ? text::Trim(line.substr(77)) : std::string_view();
    if (title.empty()) title = text::Trim(line.substr(16, 60));
    if (title.empty()) return LineError(file, n, fmt::format("code {} has no title", code->code));
    CodeEntry e;
    e.kind = KindOfCode(code->code);
    e.code = std::move(code->code);
    e.title = std::string(title);
    e.flags.billable = line[14] == '1';
    builder.Add(std::move(e));
  }
  if (builder.size() == 0) return LineError(file, cursor.line_number(), "no codes found");
  NoteUnterminatedLastRow(file, &builder);
  return builder;
}

Result<ReleaseBuilder> LoadIcd10CmTabular(const SourceFile& file) {
  pugi::xml_document doc;
  if (Status s = ParseXml(file, &doc); !s.ok()) return s;
  pugi::xml_node root = doc.document_element();
  if (std::string_view(root.name()) != "ICD10CM.tabular") {
    return LineError(file, LineOfNode(file, root),
                     fmt::format("expected root element <ICD10CM.tabular>, found <{}>", root.name()));
  }
  std::string version(text::Trim(root.child_value("version")));
  if (version.empty()) version = YearInFileName(file.path);
  ReleaseBuilder builder = NewBuilder(file, ReleaseFormat::kIcd10CmTabular, version);
  std::size_t diags = 0;
  for (std::size_t pos = 0; (pos = file.content.find("<diag>", pos)) != std::string_view::npos; pos += 6) ++diags;
  builder.Reserve(diags + 512);  // plus chapters and sections
  TabularReader reader{file, &builder};
  for (pugi::xml_node chapter : root.children("chapter")) {
    if (Status s = reader.ReadChapter(chapter); !s.ok()) return s;
  }
  if (builder.size() == 0) return LineError(file, 1, "no <chapter> elements found");
  return builder;
}

}  // namespace clincode::loaders
