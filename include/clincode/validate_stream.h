// Validating a whole file of episodes (HES-like CSV or JSON lines): streaming, on every core, in memory
// that does not grow with the input, findings delivered in input order. Every row is accounted for: a row
// that cannot be read becomes a `row-unreadable` finding.
#ifndef CLINCODE_VALIDATE_STREAM_H_
#define CLINCODE_VALIDATE_STREAM_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "clincode/rules.h"
#include "clincode/status.h"
#include "clincode/validator.h"

namespace clincode {

// The id of the finding made for a row that cannot be read.
inline constexpr const char* kRowUnreadable = "row-unreadable";

struct ValidateSummary {
  std::size_t rows_read = 0;         // data rows (blank lines are not rows)
  std::size_t episodes_checked = 0;  // rows read as episodes
  std::size_t rows_unreadable = 0;   // rows_read - episodes_checked
  std::size_t episodes_with_errors = 0;
  std::size_t episodes_with_warnings = 0;
  std::size_t findings = 0;
  std::map<std::string, std::size_t> per_rule;
  std::map<std::string, std::size_t> per_severity;
  std::map<std::string, std::size_t> per_code;  // codes named by findings
  std::map<std::string, std::string> rule_titles;
  std::vector<std::string> notices;  // the validator's, once per run (Validator::notices)
  // What each rule is, for the report's explanations: id -> the standard it implements, its severity.
  std::map<std::string, std::string> rule_standards, rule_severities;
  // The findings of the first episodes with findings (ValidateOptions::report_episodes of them), in input
  // order, for the report's table; episodes_with_findings counts them all.
  std::vector<Finding> report_findings;
  std::size_t report_episodes = 0, episodes_with_findings = 0;
  std::vector<std::string> rules_run;                // ids of the rules that ran, in rule order
  std::map<std::string, std::string> rules_not_run;  // id -> why not
  std::string source;
  double seconds = 0;
};

// Receives findings in input order, one batch at a time, always from the same thread. Format() runs first
// on the worker thread that made the batch (so formatting uses every core); Write() gets its result.
class FindingSink {
 public:
  virtual ~FindingSink() = default;
  // Thread-safe: called concurrently from worker threads.
  virtual std::string Format(const std::vector<Finding>& /*batch*/) const { return {}; }
  virtual void Write(const std::vector<Finding>& batch, const std::string& formatted) = 0;
};

struct ValidateOptions {
  unsigned threads = 0;                  // 0: one per hardware thread
  std::size_t max_line_bytes = 1 << 20;  // a longer row is unreadable (and skipped without being held)
  std::size_t chunk_bytes = 1 << 18;     // rows are handed to threads in chunks of about this size
  std::size_t report_episodes = 2000;    // episodes with findings kept for the report's table
  // How messages and the summary name the input ("upload.csv"); empty: the path. A server that spools an
  // upload to a temporary file names it so, and never shows its own paths.
  std::string source_name;
  // The CSV header of an input that has none (a partition piped in by Spark's RDD.pipe or Hadoop
  // streaming): "EPIKEY,SEX,DIAG_01,OPERTN_01"; the input's first line is then a row. Empty: the first
  // line is the header (or, in JSON lines, the first object).
  std::string header;
  // Asked before each chunk, from the calling thread; false stops the run early (the rows read so far are
  // delivered, then it fails with kCancelled). A server stops so when the client has gone.
  std::function<bool()> keep_going;
  // Called now and then with bytes read and the file's size (0 when unknown), from the calling thread.
  std::function<void(std::size_t done, std::size_t total)> progress;
};

// Validates `path` (a file, or a pipe). Fails (kIoError, kInvalidArgument) only when it cannot be read at
// all, is a folder or a device, or has no header (or a header over the row limit); bad rows are findings.
Result<ValidateSummary> ValidateFile(const std::string& path, const Validator& validator, FindingSink* sink,
                                     const ValidateOptions& options);

// The summary as JSON text, and a self-contained HTML report (inline SVG charts, no scripts).
std::string SummaryJson(const ValidateSummary& summary);
std::string HtmlReport(const ValidateSummary& summary);

}  // namespace clincode

#endif  // CLINCODE_VALIDATE_STREAM_H_
