// A coded hospital episode, and reading episodes from the HES-like CSV, JSON lines or the command line.
#ifndef CLINCODE_EPISODE_H_
#define CLINCODE_EPISODE_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/code.h"
#include "clincode/code_system.h"
#include "clincode/status.h"

namespace clincode {

// One code as the episode records it.
struct EpisodeCode {
  std::string written;  // as in the input ("C61X", "K578")
  std::string code;     // canonical ("C61", "K57.8"); empty when `written` is not a code of the system
  DaggerAsterisk mark = DaggerAsterisk::kNone;
};

struct Episode {
  std::string id;                       // EPIKEY
  std::string start_date;               // EPISTART, YYYY-MM-DD; empty when not given
  int sex = 0;                          // SEX: 1 male, 2 female, 0 not known, 9 not specified
  int age = -1;                         // STARTAGE in years (7001-7007, under one year, read as 0); -1 when not given
  std::vector<EpisodeCode> diagnoses;   // ICD-10, primary first
  std::vector<EpisodeCode> procedures;  // OPCS-4, main first
  std::size_t line = 0;                 // where it was read (1-based), 0 when not from a file
  // Values of SEX, STARTAGE and EPISTART that are not what HES allows, as written (empty when valid or
  // absent; sex, age and start_date then read as not known). The episode is still checked, and the
  // field_valid rules (knowledge/rules/episode) report them on their field.
  std::string invalid_sex, invalid_age, invalid_start_date;
  // Values of the other columns a reader was asked to keep (`keep` of FromHeader and EpisodeFromJson), in
  // that order, trimmed; "" where the row has none. Empty when nothing was asked.
  std::vector<std::string> extra;
};

// The HES column of the code at 0-based `index` of an episode's list: "OPERTN_02", "DIAG_11".
std::string HesPosition(CodeSystem system, std::size_t index);

// Whether `date` is a real calendar date written YYYY-MM-DD (1900-01-01 to 2199-12-31).
bool IsEpisodeDate(std::string_view date);

// The oldest age in years an episode may record (HES STARTAGE runs to 120 in practice).
inline constexpr int kMaxAgeYears = 130;

// Whether `value` is a HES SEX code: 0 not known, 1 male, 2 female, 9 not specified.
bool IsSexCode(long long value);

// A HES STARTAGE as an age in years: 0 to kMaxAgeYears as given, 7001-7007 (under one year) as 0; nullopt for
// any other value. The CSV and JSON readers and the server's /v1/check apply the same test.
std::optional<int> AgeFromStartAge(long long value);

// Parses codes into `out` (written forms kept; canonical form when the text is a code of the system).
void SetDiagnoses(const std::vector<std::string>& written, Episode* out);
void SetProcedures(const std::vector<std::string>& written, Episode* out);
void SetDiagnoses(std::span<const std::string_view> written, Episode* out);
void SetProcedures(std::span<const std::string_view> written, Episode* out);

// Reads HES-like CSV: a header row naming any subset of EPIKEY, EPISTART, SEX, STARTAGE, DIAG_01..DIAG_20,
// OPERTN_01..OPERTN_24 in any order (other columns ignored), quoted fields, CRLF or LF. One row is one
// physical line. A row that cannot be read is reported, never dropped: `on_row` gets either an episode or
// the reason it could not be read.
class EpisodeCsvReader {
 public:
  // Parses the header line. Fails with kInvalidArgument naming the source when no known column is found.
  // `keep` names other columns (upper case, as CODER_ID or TRETSPEF) whose values go to Episode::extra;
  // a kept column may also be one the reader reads (EPIKEY).
  static Result<EpisodeCsvReader> FromHeader(std::string_view header_line, std::string source,
                                             const std::vector<std::string>& keep = {});
  // Whether the header has column `name` (upper case).
  bool HasColumn(std::string_view name) const;

  // Reads one data line (without its line end) into `episode`, numbered `line_number`. Returns "" when it
  // was read, else why not (too many fields, an unterminated quote). A field value HES does not allow is
  // kept in the episode's invalid_* fields, not a reason to refuse the row.
  std::string ReadRow(std::string_view line, std::size_t line_number, Episode* episode) const;

 private:
  enum Field : int { kIgnore = -1, kEpikey = 0, kEpistart, kSex, kStartage, kDiag, kOpertn };
  struct Column {
    Field field = kIgnore;
    int index = 0;  // DIAG_nn / OPERTN_nn number, 1-based
    int kept = -1;  // its place in Episode::extra, or -1
  };
  std::vector<Column> columns_;
  std::vector<std::string> names_;  // the header's column names, upper case
  std::size_t kept_ = 0;            // keep.size()
  std::string source_;
  int max_diag_ = 0, max_opertn_ = 0;
};

// Reads one episode from a JSON object: {"id", "start_date", "sex", "age", "diagnoses": [...],
// "procedures": [...]}. `sex` and `age` are whole numbers that the CSV reader would accept (42.0 is 42);
// other values (3.9, -5, 1e300, "male") are kept in invalid_sex / invalid_age like the CSV reader's. Fails
// with kInvalidArgument for text that is not a JSON object or a field of the wrong type.
// `keep` names other fields whose values go to Episode::extra: the key as named, else in lower case
// ("CODER_ID" or "coder_id"); a number is kept as written, null as "".
Result<Episode> EpisodeFromJson(std::string_view json_object, const std::vector<std::string>& keep = {});

}  // namespace clincode

#endif  // CLINCODE_EPISODE_H_
