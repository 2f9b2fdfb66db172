// OPCS-4 readers: CodesAndTitles text and XML (TRUD, 4.9-4.11) and the UK Biobank data-coding 240 tree.
#include <fmt/format.h>

#include <unordered_map>

#include "classification/chapters.h"
#include "classification/loaders/loaders.h"
#include "classification/loaders/xml_source.h"
#include "clincode/normalise.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode::loaders {

Status LineError(const SourceFile& file, std::size_t line, std::string_view what) {
  return ParseError(fmt::format("{}:{}: {}", file.path, line, what));
}

std::size_t LineRef::get() const {
  if (file_ == nullptr) return line_;
  return file::LineOf(file_->content, static_cast<std::size_t>(offset_));
}

void NoteUnterminatedLastRow(const SourceFile& file, ReleaseBuilder* builder) {
  std::string_view c = file.content;
  if (c.empty() || c.back() == '\n') return;
  std::size_t start = c.rfind('\n');
  std::string_view last = c.substr(start == std::string_view::npos ? 0 : start + 1);
  if (text::Trim(last).empty()) return;
  builder->info().notes.push_back(fmt::format(
      "{}:{}: the last row has no line end; the file may have been cut short (a truncated download?): check "
      "that it is whole",
      file.path, file::LineOf(c, c.size())));
}

std::string YearInFileName(std::string_view path) {
  std::string_view base = file::BaseName(path);
  for (std::size_t i = 0; i + 4 <= base.size(); ++i) {
    std::string_view d = base.substr(i, 4);
    bool alone = (i + 4 == base.size() || !text::IsDigit(base[i + 4])) && (i == 0 || !text::IsDigit(base[i - 1]));
    if ((d.substr(0, 2) == "19" || d.substr(0, 2) == "20") && text::IsDigit(d[2]) && text::IsDigit(d[3]) && alone) {
      return std::string(d);
    }
  }
  return {};
}

CodeKind KindOfCode(std::string_view canonical) {
  return canonical.size() == 3 ? CodeKind::kCategory : CodeKind::kCode;
}

namespace {

// "OPCS410 CodesAndTitles Nov 2022 V1.0.txt" -> "4.10"; "" when the name does not say.
std::string Opcs4VersionFromName(std::string_view path) {
  std::string upper = text::ToUpperAscii(file::BaseName(path));
  std::size_t pos = upper.find("OPCS4");
  if (pos == std::string::npos) return {};
  std::size_t i = pos + 5;
  if (i < upper.size() && (upper[i] == '.' || upper[i] == '_' || upper[i] == '-')) ++i;
  std::string digits;
  while (i < upper.size() && text::IsDigit(upper[i]) && digits.size() < 2) digits.push_back(upper[i++]);
  if (digits.empty()) return {};
  return "4." + digits;
}

// The parent_id of top-level rows (chapters) in UK Biobank coding trees.
constexpr std::string_view kUkbRootNode = "0";

ReleaseBuilder NewOpcs4Builder(const SourceFile& file, ReleaseFormat format) {
  ReleaseInfo info;
  info.system = CodeSystem::kOpcs4;
  info.version = Opcs4VersionFromName(file.path);
  info.edition = info.version.empty() ? "OPCS-4" : "OPCS-" + info.version;
  info.sources = {file.path};
  info.formats = {format};
  return ReleaseBuilder(std::move(info));
}

// Adds one code/title pair read at `line`.
Status AddOpcs4(const SourceFile& file, LineRef line, std::string_view code_text, std::string_view title,
                ReleaseBuilder* builder) {
  auto code = NormaliseCode(CodeSystem::kOpcs4, code_text);
  if (!code.ok()) return LineError(file, line, code.status().message());
  title = text::Trim(title);
  if (title.empty()) return LineError(file, line, fmt::format("code {} has no title", code->code));
  CodeEntry e;
  e.kind = KindOfCode(code->code);
  e.code = std::move(code->code);
  e.title = std::string(title);
  builder->Add(std::move(e));
  return Status::Ok();
}

}  // namespace

Result<ReleaseBuilder> LoadOpcs4Text(const SourceFile& file) {
  ReleaseBuilder builder = NewOpcs4Builder(file, ReleaseFormat::kOpcs4Text);
  file::LineCursor cursor(file.content);
  std::string_view line;
  while (cursor.Next(&line)) {
    if (text::Trim(line).empty()) continue;
    auto fields = text::Split(line, '\t');
    // Some exports end rows with an empty third column; anything else beyond two columns is an error.
    while (fields.size() > 2 && text::Trim(fields.back()).empty()) fields.pop_back();
    if (fields.size() != 2) {
      return LineError(file, cursor.line_number(),
                       fmt::format("expected 2 tab-separated columns (code, title), found {}", fields.size()));
    }
    if (cursor.line_number() == 1 && text::EqualsIgnoreCase(text::Trim(fields[0]), "code")) continue;  // header
    Status s = AddOpcs4(file, cursor.line_number(), fields[0], fields[1], &builder);
    if (!s.ok()) return s;
  }
  if (builder.size() == 0) return LineError(file, cursor.line_number(), "no codes found");
  NoteUnterminatedLastRow(file, &builder);
  return builder;
}

Result<ReleaseBuilder> LoadOpcs4Xml(const SourceFile& file) {
  pugi::xml_document doc;
  if (Status s = ParseXml(file, &doc); !s.ok()) return s;
  pugi::xml_node root = doc.document_element();
  if (!text::EqualsIgnoreCase(LocalName(root), "dsv")) {
    return LineError(file, LineOfNode(file, root), fmt::format("expected root element <dsv>, found <{}>", root.name()));
  }
  ReleaseBuilder builder = NewOpcs4Builder(file, ReleaseFormat::kOpcs4Xml);
  for (pugi::xml_node node : root.children()) {
    if (node.type() != pugi::node_element) continue;
    const LineRef line = LineOfNode(file, node);
    if (!text::EqualsIgnoreCase(LocalName(node), "code")) {
      return LineError(file, line, fmt::format("unexpected element <{}> (expected <code>)", node.name()));
    }
    pugi::xml_attribute code = node.attribute("CODE");
    pugi::xml_attribute title = node.attribute("TITLE");
    if (!code || !title) return LineError(file, line, "<code> needs CODE and TITLE attributes");
    if (Status s = AddOpcs4(file, line, code.value(), title.value(), &builder); !s.ok()) return s;
  }
  if (builder.size() == 0) return LineError(file, 1, "no <code> elements found");
  return builder;
}

Result<ReleaseBuilder> LoadUkBiobankOpcs4(const SourceFile& file) {
  ReleaseBuilder builder = NewOpcs4Builder(file, ReleaseFormat::kUkBiobankOpcs4);
  builder.info().edition = "OPCS-4 (UK Biobank coding 240)";
  file::LineCursor cursor(file.content);
  std::string_view line;
  if (!cursor.Next(&line) || !text::StartsWithIgnoreCase(line, "coding\tmeaning\tnode_id\tparent_id")) {
    return LineError(file, 1, "expected the header coding<TAB>meaning<TAB>node_id<TAB>parent_id<TAB>selectable");
  }
  struct Row {
    std::uint32_t id;
    std::string parent_node;
    std::uint32_t line;
  };
  struct Node {
    std::string code;  // canonical
    std::size_t line;
  };
  std::unordered_map<std::string, Node> nodes;  // node_id -> where it was read
  std::vector<Row> rows;
  while (cursor.Next(&line)) {
    if (text::Trim(line).empty()) continue;
    const std::size_t n = cursor.line_number();
    auto f = text::Split(line, '\t');
    if (f.size() != 5) return LineError(file, n, fmt::format("expected 5 tab-separated columns, found {}", f.size()));
    CodeEntry e;
    std::string_view coding = text::Trim(f[0]);
    std::string_view meaning = text::Trim(f[1]);
    if (text::StartsWithIgnoreCase(coding, "chapter ")) {
      std::string letter = text::ToUpperAscii(text::Trim(coding.substr(8)));
      if (letter.size() != 1 || !text::IsUpper(letter[0])) {
        return LineError(file, n, fmt::format("\"{}\" is not a chapter (Chapter A to Chapter Z)", coding));
      }
      e.kind = CodeKind::kChapter;
      e.code = chapters::ChapterCode(letter);
      std::size_t dash = meaning.find(" - ");
      e.title = std::string(dash == std::string_view::npos ? meaning : meaning.substr(dash + 3));
    } else {
      auto code = NormaliseCode(CodeSystem::kOpcs4, coding);
      if (!code.ok()) return LineError(file, n, code.status().message());
      // meaning repeats the dotted code before the title: "A01.1 Hemispherectomy".
      std::string_view title = meaning;
      if (text::StartsWithIgnoreCase(title, code->code)) title = text::Trim(title.substr(code->code.size()));
      if (title.empty()) return LineError(file, n, fmt::format("code {} has no title", code->code));
      e.kind = KindOfCode(code->code);
      e.code = std::move(code->code);
      e.title = std::string(title);
    }
    std::string_view selectable = text::Trim(f[4]);
    if (selectable != "Y" && selectable != "N") {
      return LineError(file, n, fmt::format("selectable must be Y or N, found \"{}\"", selectable));
    }
    std::string node_id(text::Trim(f[2]));
    if (node_id.empty() || node_id == kUkbRootNode) {
      return LineError(file, n, fmt::format("node_id \"{}\" is not a node id (0 is the root)", node_id));
    }
    auto [seen, fresh] = nodes.try_emplace(node_id, Node{e.code, n});
    if (!fresh) {
      return LineError(file, n, fmt::format("node_id {} is used twice (also at line {})", node_id, seen->second.line));
    }
    rows.push_back({builder.Add(std::move(e)), std::string(text::Trim(f[3])), static_cast<std::uint32_t>(n)});
  }
  if (rows.empty()) return LineError(file, cursor.line_number(), "no codes found");
  // Parents are given by node id; resolve them now that every node is known. A parent that names no node
  // (other than the root, 0) is an error: guessing one is how a tree grows a cycle. Cycles among the nodes
  // given are found when the release is built.
  ReleaseBuilder out = NewOpcs4Builder(file, ReleaseFormat::kUkBiobankOpcs4);
  out.info().edition = builder.info().edition;
  std::vector<bool> moved(builder.size(), false);
  for (const Row& row : rows) {
    std::string parent;
    if (row.parent_node != kUkbRootNode) {
      auto it = nodes.find(row.parent_node);
      if (it == nodes.end()) {
        return LineError(file, row.line, fmt::format("parent_id {} is not the node_id of any row", row.parent_node));
      }
      parent = it->second.code;
    }
    if (moved[row.id]) continue;  // a code listed twice was merged into its first row
    moved[row.id] = true;
    out.Add(std::move(builder.at(row.id)), std::move(parent), row.line);
  }
  NoteUnterminatedLastRow(file, &out);
  return out;
}

}  // namespace clincode::loaders
