// One reader per distributed release form (see docs/formats.md). Each reads a whole file that the caller
// has already checked to be UTF-8 (byte-order mark removed) and returns a builder holding its entries, or
// a kParseError whose message starts `<path>:<line>:`. Readers never return a half-read file.
#ifndef CLINCODE_CLASSIFICATION_LOADERS_LOADERS_H_
#define CLINCODE_CLASSIFICATION_LOADERS_LOADERS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "classification/release_builder.h"
#include "clincode/status.h"

namespace clincode::loaders {

struct SourceFile {
  std::string path;          // as given by the user, for messages
  std::string_view content;  // UTF-8, without byte-order mark
};

Result<ReleaseBuilder> LoadOpcs4Text(const SourceFile& file);
Result<ReleaseBuilder> LoadOpcs4Xml(const SourceFile& file);
Result<ReleaseBuilder> LoadUkBiobankOpcs4(const SourceFile& file);
Result<ReleaseBuilder> LoadIcd10UkXml(const SourceFile& file);
Result<ReleaseBuilder> LoadIcd10UkText(const SourceFile& file);
Result<ReleaseBuilder> LoadWhoIcd10Xml(const SourceFile& file);
Result<ReleaseBuilder> LoadIcd10CmOrder(const SourceFile& file);
Result<ReleaseBuilder> LoadIcd10CmTabular(const SourceFile& file);
Result<ReleaseBuilder> LoadCptCsv(const SourceFile& file);
// An ICD-10-CM index file (icd10cm_index, _eindex, _neoplasm, _drug): a builder of codes with no titles, each
// holding its index terms as kIndexTerm notes, for the catalog to add to the ICD-10-CM release loaded with it.
Result<ReleaseBuilder> LoadIcd10CmIndex(const SourceFile& file);

// Where a row was read: a line number, or (for XML) a byte offset whose line is counted only when an error
// needs it; counting lines for every element would make reading a large file quadratic.
class LineRef {
 public:
  LineRef(std::size_t line) : line_(line) {}  // NOLINT: a plain line number converts implicitly
  static LineRef AtOffset(const SourceFile& file, std::ptrdiff_t offset) {
    LineRef r(0);
    r.file_ = &file;
    r.offset_ = offset;
    return r;
  }
  std::size_t get() const;
  operator std::size_t() const { return get(); }  // NOLINT

 private:
  std::size_t line_ = 0;
  const SourceFile* file_ = nullptr;
  std::ptrdiff_t offset_ = 0;
};

// `<path>:<line>: <what>` as a kParseError.
Status LineError(const SourceFile& file, std::size_t line, std::string_view what);

// Adds a note to `builder` when the file's last row has no line end. The text forms end every row with one
// (CRLF in the TRUD files), so such a row was most likely cut short, by a truncated download or copy, and may
// hold half a title. A note, not an error: a whole file saved without its last line end must still load.
void NoteUnterminatedLastRow(const SourceFile& file, ReleaseBuilder* builder);

// The first year (19xx or 20xx, standing alone) in the file name of `path`: "icd10cm-order-Jan-2021.txt"
// and "icd_10_v2019.xml" give "2021" and "2019"; "" when the name has none.
std::string YearInFileName(std::string_view path);

// The kind of an OPCS-4 / ICD-10 / ICD-10-CM code by its canonical length: category (3) or code.
CodeKind KindOfCode(std::string_view canonical);

}  // namespace clincode::loaders

#endif  // CLINCODE_CLASSIFICATION_LOADERS_LOADERS_H_
