// WHO ICD-10 nested XML reader: <item type="chapter|block|category|subcategory"> with <name> and
// <description>, nested as the classification's hierarchy.
#include <fmt/format.h>

#include "classification/chapters.h"
#include "classification/loaders/loaders.h"
#include "classification/loaders/xml_source.h"
#include "clincode/normalise.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode::loaders {
namespace {

Status ReadItem(const SourceFile& file, const pugi::xml_node& item, const std::string& parent, int depth,
                ReleaseBuilder* builder) {
  const LineRef line = LineOfNode(file, item);
  if (depth > kMaxXmlDepth) {
    return LineError(file, line, fmt::format("<item> elements nested over {} deep; the classification is not", kMaxXmlDepth));
  }
  std::string_view type = item.attribute("type").value();
  std::string_view name = text::Trim(item.child_value("name"));
  if (name.empty()) return LineError(file, line, "<item> has no <name>");
  CodeEntry e;
  e.title = std::string(text::Trim(item.child_value("description")));
  if (type == "chapter") {
    e.kind = CodeKind::kChapter;
    e.code = chapters::ChapterCode(name);
  } else if (type == "block") {
    e.kind = CodeKind::kBlock;
    e.code = text::ToUpperAscii(name);
  } else if (type == "category" || type == "subcategory") {
    auto code = NormaliseCode(CodeSystem::kIcd10, name);
    if (!code.ok()) return LineError(file, line, code.status().message());
    e.kind = KindOfCode(code->code);
    e.code = std::move(code->code);
    e.flags.usage = code->mark;
  } else {
    return LineError(file, line,
                     fmt::format("unknown item type \"{}\" (expected chapter, block, category or "
                                 "subcategory)",
                                 type));
  }
  std::string code = e.code;
  builder->Add(std::move(e), parent);
  for (pugi::xml_node child : item.children("item")) {
    if (Status s = ReadItem(file, child, code, depth + 1, builder); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace

Result<ReleaseBuilder> LoadWhoIcd10Xml(const SourceFile& file) {
  pugi::xml_document doc;
  if (Status s = ParseXml(file, &doc); !s.ok()) return s;
  ReleaseInfo info;
  info.system = CodeSystem::kIcd10;
  info.version = YearInFileName(file.path);
  info.edition = info.version.empty() ? "ICD-10 WHO" : "ICD-10 WHO " + info.version;
  info.sources = {file.path};
  info.formats = {ReleaseFormat::kWhoIcd10Xml};
  ReleaseBuilder builder(std::move(info));
  pugi::xml_node root = doc.document_element();
  for (pugi::xml_node item : root.children()) {
    if (item.type() != pugi::node_element) continue;
    if (std::string_view(item.name()) != "item") {
      return LineError(file, LineOfNode(file, item),
                       fmt::format("unexpected element <{}> (expected <item>)", item.name()));
    }
    if (Status s = ReadItem(file, item, {}, 1, &builder); !s.ok()) return s;
  }
  if (builder.size() == 0) return LineError(file, 1, "no <item> elements found");
  return builder;
}

}  // namespace clincode::loaders
