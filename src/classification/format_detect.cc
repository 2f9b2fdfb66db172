// Release format detection from a file's first bytes.
#include <fmt/format.h>

#include "clincode/catalog.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode {
namespace {

// The name of the first element of an XML document, skipping the declaration, comments and DOCTYPE.
std::string_view XmlRootName(std::string_view s, std::string_view* rest) {
  std::size_t i = 0;
  while (i < s.size()) {
    i = s.find('<', i);
    if (i == std::string_view::npos || i + 1 >= s.size()) return {};
    if (s[i + 1] == '?' || s[i + 1] == '!') {
      std::string_view close = s.substr(i, 4) == "<!--" ? "-->" : ">";
      std::size_t end = s.find(close, i);
      if (end == std::string_view::npos) return {};
      i = end + close.size();
      continue;
    }
    std::size_t start = i + 1;
    std::size_t end = start;
    while (end < s.size() && !text::IsSpace(s[end]) && s[end] != '>' && s[end] != '/') ++end;
    *rest = s.substr(end);
    return s.substr(start, end - start);
  }
  return {};
}

bool LooksLikeCode3(std::string_view s) {
  return s.size() >= 3 && text::IsUpper(s[0]) && text::IsDigit(s[1]) && text::IsDigit(s[2]);
}

Result<ReleaseFormat> DetectXml(std::string_view s, std::string_view path) {
  std::string_view rest;
  std::string_view root = XmlRootName(s, &rest);
  std::string_view head = rest.substr(0, 2048);
  if (root == "ICD10CM.tabular") return ReleaseFormat::kIcd10CmTabular;
  if (root == "ICD10CM.index") return ReleaseFormat::kIcd10CmIndex;
  if (text::StartsWithIgnoreCase(root, "icd_10") || text::StartsWithIgnoreCase(root, "icd10") ||
      (head.find("<item") != std::string_view::npos && head.find("type=\"chapter\"") != std::string_view::npos)) {
    return ReleaseFormat::kWhoIcd10Xml;
  }
  if (text::EqualsIgnoreCase(root, "dsv")) {
    if (head.find("<CLASS") != std::string_view::npos || head.find("icd-10") != std::string_view::npos) {
      return ReleaseFormat::kIcd10UkXml;
    }
    if (head.find("<code") != std::string_view::npos || head.find("opcs") != std::string_view::npos) {
      return ReleaseFormat::kOpcs4Xml;
    }
  }
  return Unsupported(
      fmt::format("{}: unknown release format: XML with root element <{}> (clincode reads OPCS-4 "
                  "CodesAndTitles, ICD-10 5th Edition, WHO ICD-10, ICD-10-CM tabular and index XML)",
                  path, root));
}

}  // namespace

Result<ReleaseFormat> DetectReleaseFormat(std::string_view content, std::string_view path) {
  if (content.size() >= 2 && (content.substr(0, 2) == "\xFF\xFE" || content.substr(0, 2) == "\xFE\xFF")) {
    return ParseError(fmt::format("{}:1: the file is UTF-16 encoded; save it as UTF-8", path));
  }
  std::string_view s = file::StripBom(content);
  std::string_view trimmed = text::Trim(s.substr(0, 4096));
  if (trimmed.empty()) return Unsupported(fmt::format("{}: the file is empty", path));
  if (trimmed[0] == '<') return DetectXml(trimmed, path);

  std::string_view first = s.substr(0, s.find('\n'));
  if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
  auto cols = text::Split(first, '\t');
  if (text::StartsWithIgnoreCase(first, "coding\tmeaning\t")) return ReleaseFormat::kUkBiobankOpcs4;
  if (cols.size() >= 3 && text::Trim(cols[0]) == "CODE" && first.find("DESCRIPTION") != std::string_view::npos) {
    return ReleaseFormat::kIcd10UkText;
  }
  if (cols.size() >= 5 && LooksLikeCode3(cols[0]) &&
      (cols[2] == "DEFAULT" || cols[2] == "DAGGER" || cols[2] == "ASTERISK")) {
    return ReleaseFormat::kIcd10UkText;
  }
  if (cols.size() >= 2 && LooksLikeCode3(text::Trim(cols[0])) && text::Trim(cols[0]).size() <= 5) {
    return ReleaseFormat::kOpcs4Text;
  }
  if (first.size() >= 16 && first[5] == ' ' && first[13] == ' ' && (first[14] == '0' || first[14] == '1') &&
      text::IsDigit(first[0]) && text::IsDigit(first[4])) {
    return ReleaseFormat::kIcd10CmOrder;
  }
  if (text::StartsWithIgnoreCase(first, "code,") ||
      (first.size() > 6 && first[5] == ',' && text::IsDigit(first[0]) && text::IsDigit(first[3]))) {
    return ReleaseFormat::kCptCsv;
  }
  std::string shown(first.substr(0, 60));
  for (char& c : shown) {
    if (c == '\t') c = ' ';
  }
  return Unsupported(
      fmt::format("{}: unknown release format (first line \"{}\"); clincode reads OPCS-4, ICD-10 "
                  "5th Edition, WHO ICD-10, ICD-10-CM and CPT CSV files (see docs/formats.md)",
                  path, shown));
}

}  // namespace clincode
