// CPT reader: a licensed user's `code,descriptor` CSV (RFC 4180 quoting). clincode ships no descriptors.
#include <fmt/format.h>

#include "classification/loaders/loaders.h"
#include "clincode/normalise.h"
#include "util/file.h"
#include "util/text.h"

namespace clincode::loaders {
namespace {

// Splits one CSV record. Fails on an unterminated quote (a record must fit on one line).
bool SplitCsv(std::string_view line, std::vector<std::string>* fields) {
  fields->clear();
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields->push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  fields->push_back(std::move(cur));
  return !quoted;
}

}  // namespace

Result<ReleaseBuilder> LoadCptCsv(const SourceFile& file) {
  ReleaseInfo info;
  info.system = CodeSystem::kCpt;
  info.edition = "CPT (" + std::string(file::BaseName(file.path)) + ")";
  info.sources = {file.path};
  info.formats = {ReleaseFormat::kCptCsv};
  ReleaseBuilder builder(std::move(info));
  file::LineCursor cursor(file.content);
  std::string_view line;
  std::vector<std::string> fields;
  while (cursor.Next(&line)) {
    if (text::Trim(line).empty()) continue;
    const std::size_t n = cursor.line_number();
    if (!SplitCsv(line, &fields)) return LineError(file, n, "unterminated quoted field");
    if (n == 1 && text::EqualsIgnoreCase(text::Trim(fields[0]), "code")) continue;  // header
    if (fields.size() != 2) {
      return LineError(file, n, fmt::format("expected 2 columns (code, descriptor), found {}", fields.size()));
    }
    auto code = NormaliseCode(CodeSystem::kCpt, fields[0]);
    if (!code.ok()) return LineError(file, n, code.status().message());
    CodeEntry e;
    e.kind = CodeKind::kCode;
    e.code = std::move(code->code);
    e.title = std::string(text::Trim(fields[1]));
    builder.Add(std::move(e));
  }
  if (builder.size() == 0) return LineError(file, cursor.line_number(), "no codes found");
  NoteUnterminatedLastRow(file, &builder);
  return builder;
}

}  // namespace clincode::loaders
