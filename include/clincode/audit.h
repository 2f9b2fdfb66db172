// Clinical coding audit: the coder's episodes (the original) against an auditor's re-coding of the same
// episodes (the audited), scored as the NHS clinical coding audit methodology scores them: accuracy by four
// code types, every difference classified and explained, and the attainment level each figure reaches.
//
// The four figures (AuditMethod::kCodeMatch, docs/audit.md):
//   primary diagnosis    episodes whose first ICD-10 code equals the auditor's / episodes audited
//   primary procedure    the same / episodes where the auditor recorded a procedure
//   secondary diagnosis  the auditor's later ICD-10 codes the coder also recorded as later codes, counted as
//                        multisets / the auditor's later ICD-10 codes
//   secondary procedure  the same for OPCS-4 (Chapter Y and Z codes included)
// Codes are compared in canonical form (I509 = I50.9), dagger and asterisk marks aside. A code the coder
// added that the auditor did not is an error (reported and counted) that leaves the figures unchanged.
#ifndef CLINCODE_AUDIT_H_
#define CLINCODE_AUDIT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "clincode/episode.h"
#include "clincode/status.h"
#include "clincode/validator.h"

namespace clincode {

// The four code types the methodology audits.
enum class AuditCodeType : std::uint8_t {
  kPrimaryDiagnosis,
  kSecondaryDiagnosis,
  kPrimaryProcedure,
  kSecondaryProcedure
};
inline constexpr std::array<AuditCodeType, 4> kAuditCodeTypes = {
    AuditCodeType::kPrimaryDiagnosis, AuditCodeType::kSecondaryDiagnosis, AuditCodeType::kPrimaryProcedure,
    AuditCodeType::kSecondaryProcedure};
std::string_view AuditCodeTypeName(AuditCodeType type);   // "primary_diagnosis", ...
std::string_view AuditCodeTypeTitle(AuditCodeType type);  // "Primary diagnosis", ...

// What kind of difference an error is. The methodology's own error keys were not found in a published
// source this project could read, so the kinds have plain names (docs/audit.md).
enum class AuditErrorKind : std::uint8_t {
  kWrongCategory,     // another code at the third character: another category (I50.0 for J18.9)
  kWrongSubdivision,  // the right category, another fourth or fifth character (I50.0 for I50.9)
  kMissing,           // the auditor's code is not in the coder's list of that type
  kExtra,             // the coder's code is not in the auditor's list of that type (figures unchanged)
  kSequencing,        // the right code in the wrong position (a secondary code as primary, or the reverse)
  kDaggerAsterisk,    // a dagger and asterisk pair the auditor recorded is broken or reversed
  // Rows, not codes: reported in the errors file, counted in the summary, never scored.
  kUnmatchedOriginal,  // an episode only in the original file
  kUnmatchedAudited,   // an episode only in the audited file
  kUnreadable,         // a row that cannot be read, or a second row with an episode id already read
};
std::string_view AuditErrorKindName(AuditErrorKind kind);   // "wrong_category", ...
std::string_view AuditErrorKindTitle(AuditErrorKind kind);  // "Wrong category (third character)", ...
// Whether the kind is about codes (scored) rather than rows.
bool IsCodeError(AuditErrorKind kind);
// The code error kinds, in AuditErrorKind order (kWrongCategory to kDaggerAsterisk).
inline constexpr std::size_t kCodeErrorKinds = 6;

// One error: a code difference, or a row that was not scored.
struct AuditError {
  std::string episode_id;
  AuditErrorKind kind = AuditErrorKind::kMissing;
  AuditCodeType type = AuditCodeType::kPrimaryDiagnosis;  // code errors only
  std::string original_position, audited_position;        // "DIAG_02", "OPERTN_01"; "" where the code is absent
  std::string original_code, audited_code;                // as written
  std::string original_title, audited_title;              // from the releases loaded
  // A clincode rule that fires on the original coding where this error is, and the standard it names.
  std::string rule_id, standard;
  std::string file;              // rows: which file ("original" or "audited")
  std::size_t line = 0;          // rows: the line; code errors: the original's line
  std::size_t audited_line = 0;  // code errors: the audited row's line
  std::string detail;            // rows: why not scored
};

// The figure of one code type: `correct` of `total`, and the errors by kind (indexed by AuditErrorKind).
struct AuditFigure {
  std::size_t correct = 0, total = 0;
  std::array<std::size_t, kCodeErrorKinds> errors{};
  // correct / total as a percentage, rounded to two decimals; 100 when total is 0 (nothing to get wrong).
  double Percent() const;
  // Whether correct / total is at least `percent` %, exactly (89.995% does not meet 90).
  bool Meets(double percent) const;
};

// The four figures of a set of episodes.
struct AuditFigures {
  std::size_t episodes = 0;
  std::array<AuditFigure, 4> by_type;  // in kAuditCodeTypes order
  AuditFigure& of(AuditCodeType t) { return by_type[static_cast<int>(t)]; }
  const AuditFigure& of(AuditCodeType t) const { return by_type[static_cast<int>(t)]; }
  // Adds (or with sign -1, takes away) another set's counts.
  void Add(const AuditFigures& other, int sign = 1);
};

// Attainment levels of a toolkit, read from knowledge/audit/*.yaml (each with its published source).
struct AttainmentProfile {
  std::string id;      // "igt", "dspt"
  std::string title;   // "Information Governance Toolkit, requirement 505 (acute trusts)"
  std::string source;  // where the thresholds are published
  std::string note;    // what the source does not say
  struct Level {
    std::string name;                 // "Level 2"
    std::array<double, 4> threshold;  // minimum percent by code type, kAuditCodeTypes order
  };
  std::vector<Level> levels;  // lowest first
  // The highest level whose threshold for `type` the figure meets, or "" when none.
  std::string LevelReached(AuditCodeType type, const AuditFigure& figure) const;
  // The highest level every one of the four figures meets, or "".
  std::string LevelReachedByAll(const AuditFigures& f) const;
};
// The built-in profiles, in file order. Fails with kParseError naming the file and line when one is bad.
Result<std::vector<AttainmentProfile>> LoadAttainmentProfiles();

// Compares one episode pair: appends the code errors to `errors` and adds the pair to `figures`. With a
// validator, errors are explained by the rules that fire on the original (rule_id, standard) and titled
// from its catalog. Thread-safe.
void AuditEpisodePair(const Episode& original, const Episode& audited, const Validator* validator,
                      std::vector<AuditError>* errors, AuditFigures* figures);

struct AuditOptions {
  std::string key;                   // the column that joins the files; "" or EPIKEY: the episode id
  std::string profile = "igt";       // attainment profile id
  unsigned threads = 0;              // 0: one per hardware thread
  std::size_t report_errors = 5000;  // errors kept for the report's table (all are in the errors file)
  // How messages and the summary name the files (a server names its uploads); "": the paths.
  std::string original_name, audited_name;
  std::function<bool()> keep_going;  // asked between chunks; false stops the run (kCancelled)
};

// The breakdown dimensions, as the columns that carry them (the first present is used).
struct AuditBreakdownColumns {
  std::string dimension;             // "coder", "specialty", "consultant"
  std::vector<std::string> columns;  // {"TRETSPEF", "MAINSPEF"}
};
const std::vector<AuditBreakdownColumns>& AuditBreakdowns();

struct AuditSummary {
  std::string original_source, audited_source, key, profile_id;
  std::size_t rows_original = 0, rows_audited = 0;  // data rows read (blank lines are not rows)
  std::size_t episodes_audited = 0;                 // pairs scored
  std::size_t unmatched_original = 0, unmatched_audited = 0;
  std::size_t unreadable_original = 0, unreadable_audited = 0;
  AuditFigures figures;
  std::array<std::size_t, kCodeErrorKinds> errors_by_kind{};  // code errors, all types, by AuditErrorKind
  std::size_t code_errors = 0;
  std::map<std::string, std::size_t> codes_most_often_wrong;  // the auditor's code (or the coder's, for extras)
  // dimension ("coder", "specialty", "consultant", "month") -> value -> figures; only where a file has it.
  std::map<std::string, std::map<std::string, AuditFigures>> breakdowns;
  std::vector<AuditError> report_errors;  // the first AuditOptions::report_errors, in errors-file order
  std::vector<std::string> notices;       // the validator's notices: what could not be checked
  double seconds = 0;
};

// Receives errors in a stable order (the streamed file's order, then the rows of the file held in memory
// that had no partner), a batch at a time, always on the same thread. Format() runs first on a worker.
class AuditSink {
 public:
  virtual ~AuditSink() = default;
  virtual std::string Format(const std::vector<AuditError>& /*batch*/) const { return {}; }
  virtual void Write(const std::vector<AuditError>& batch, const std::string& formatted) = 0;
};

// Audits `original` against `audited` (HES-like CSV in any column order, or JSON lines, in any row order).
// The smaller file is held in memory in a compact form; the other is streamed on every core. Every row is
// accounted for: rows_original = episodes_audited + unmatched_original + unreadable_original, and the same
// for the audited file. Fails when a file cannot be read at all, has no header, or lacks the key column.
Result<AuditSummary> AuditFiles(const std::string& original, const std::string& audited, const Validator& validator,
                                AuditSink* sink, const AuditOptions& options);

// The summary as JSON text (docs/audit.md has the shape), and a self-contained HTML report.
std::string AuditSummaryJson(const AuditSummary& summary, const AttainmentProfile& profile);
std::string AuditHtmlReport(const AuditSummary& summary, const AttainmentProfile& profile);

}  // namespace clincode

#endif  // CLINCODE_AUDIT_H_
