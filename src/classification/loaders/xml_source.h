// Shared pugixml handling for the XML release forms: parse with errors at file:line, and the line of a node.
#ifndef CLINCODE_CLASSIFICATION_LOADERS_XML_SOURCE_H_
#define CLINCODE_CLASSIFICATION_LOADERS_XML_SOURCE_H_

#include <pugixml.hpp>

#include "classification/loaders/loaders.h"
#include "util/file.h"

namespace clincode::loaders {

// Parses `file` into `doc`. A malformed or truncated document fails naming the line and pugixml's reason.
inline Status ParseXml(const SourceFile& file, pugi::xml_document* doc) {
  // parse_default keeps only elements and PCDATA; trimming of PCDATA is done by the readers.
  pugi::xml_parse_result r =
      doc->load_buffer(file.content.data(), file.content.size(), pugi::parse_default, pugi::encoding_utf8);
  if (r) return Status::Ok();
  std::size_t line = file::LineOf(file.content, static_cast<std::size_t>(r.offset));
  std::string what = std::string("malformed XML (") + r.description() + ")";
  if (static_cast<std::size_t>(r.offset) + 64 >= file.content.size()) what += "; the file looks truncated";
  return LineError(file, line, what);
}

// How deep the readers follow nested elements. The real files nest at most 7 deep (WHO ICD-10: chapter, up
// to three blocks, category, subcategory; ICD-10-CM: chapter, section, five levels of <diag>); the readers
// recurse, so a limit far above that keeps a hostile file from exhausting the stack.
inline constexpr int kMaxXmlDepth = 32;

inline LineRef LineOfNode(const SourceFile& file, const pugi::xml_node& node) {
  return LineRef::AtOffset(file, node.offset_debug());
}

// The local name of an element, without any namespace prefix.
inline std::string_view LocalName(const pugi::xml_node& node) {
  std::string_view name = node.name();
  std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

}  // namespace clincode::loaders

#endif  // CLINCODE_CLASSIFICATION_LOADERS_XML_SOURCE_H_
