#include "clincode/validate_stream.h"

#include <fmt/format.h>

#include <chrono>

#include "coding/episode_stream.h"

namespace clincode {
namespace {

Finding Unreadable(std::size_t line, const std::string& reason) {
  return {fmt::format("line {}", line),
          line,
          kRowUnreadable,
          "",
          Severity::kError,
          "",
          "",
          fmt::format("line {} cannot be read: {}", line, reason),
          "Correct the row; it was not checked"};
}

void Count(const std::vector<Finding>& findings, std::size_t from, ValidateSummary* s) {
  if (findings.size() > from) ++s->episodes_with_findings;
  bool error = false, warning = false;
  for (std::size_t i = from; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    ++s->findings;
    ++s->per_rule[f.rule_id];
    ++s->per_severity[std::string(SeverityName(f.severity))];
    // Codes only: a field finding (position SEX, EPISTART, ...) names a value, not a code.
    if (!f.code.empty() && (f.position.rfind("OPERTN_", 0) == 0 || f.position.rfind("DIAG_", 0) == 0))
      ++s->per_code[f.code];
    error = error || f.severity == Severity::kError;
    warning = warning || f.severity == Severity::kWarning;
  }
  s->episodes_with_errors += error ? 1 : 0;
  s->episodes_with_warnings += warning ? 1 : 0;
}

void Merge(const ValidateSummary& from, ValidateSummary* into) {
  into->rows_read += from.rows_read;
  into->episodes_checked += from.episodes_checked;
  into->rows_unreadable += from.rows_unreadable;
  into->episodes_with_errors += from.episodes_with_errors;
  into->episodes_with_warnings += from.episodes_with_warnings;
  into->findings += from.findings;
  into->episodes_with_findings += from.episodes_with_findings;
  for (const auto& [k, v] : from.per_rule) into->per_rule[k] += v;
  for (const auto& [k, v] : from.per_severity) into->per_severity[k] += v;
  for (const auto& [k, v] : from.per_code) into->per_code[k] += v;
}

// The findings of one chunk, counted and formatted on the worker thread.
class ValidateBatch : public coding::EpisodeBatch {
 public:
  ValidateBatch(const Validator& validator, const FindingSink* sink) : validator_(validator), sink_(sink) {}
  void Add(const Episode& episode) override {
    std::size_t before = findings.size();
    ++counts.rows_read;
    ++counts.episodes_checked;
    validator_.Check(episode, &findings);
    Count(findings, before, &counts);
  }
  void Unreadable(std::size_t line, const std::string& why) override {
    std::size_t before = findings.size();
    ++counts.rows_read;
    ++counts.rows_unreadable;
    findings.push_back(clincode::Unreadable(line, why));
    Count(findings, before, &counts);
  }
  void Finish() override {
    if (sink_ != nullptr && !findings.empty()) formatted = sink_->Format(findings);
  }

  std::vector<Finding> findings;
  std::string formatted;   // the sink's Format() of the findings
  ValidateSummary counts;  // only the counters and per_* maps

 private:
  const Validator& validator_;
  const FindingSink* sink_;
};

}  // namespace

Result<ValidateSummary> ValidateFile(const std::string& path, const Validator& validator, FindingSink* sink,
                                     const ValidateOptions& options) {
  auto started = std::chrono::steady_clock::now();
  ValidateSummary summary;
  summary.source = options.source_name.empty() ? path : options.source_name;
  for (const Rule& r : validator.rules().rules()) {
    summary.rule_titles[r.id] = r.title;
    summary.rule_standards[r.id] = r.standard;
    summary.rule_severities[r.id] = std::string(SeverityName(r.severity));
  }
  summary.rule_titles[kRowUnreadable] = "Rows that could not be read";
  summary.rule_severities[kRowUnreadable] = "error";
  summary.notices = validator.notices();
  for (const auto& c : validator.coverage()) {
    if (c.runs)
      summary.rules_run.push_back(c.rule->id);
    else
      summary.rules_not_run[c.rule->id] = c.why_not;
  }
  Status s = coding::StreamEpisodes(
      path, options, [&] { return std::make_unique<ValidateBatch>(validator, sink); },
      [&](coding::EpisodeBatch& b) {
        auto& r = static_cast<ValidateBatch&>(b);
        if (sink != nullptr && !r.findings.empty()) sink->Write(r.findings, r.formatted);
        Merge(r.counts, &summary);
        // The report's table: whole episodes, in input order, up to the limit.
        for (std::size_t i = 0; i < r.findings.size() && summary.report_episodes <= options.report_episodes; ++i) {
          const Finding& f = r.findings[i];
          const bool next_episode = summary.report_findings.empty() || summary.report_findings.back().line != f.line ||
                                    summary.report_findings.back().episode_id != f.episode_id;
          if (next_episode && ++summary.report_episodes > options.report_episodes) break;
          summary.report_findings.push_back(f);
        }
      });
  if (!s.ok()) return s;
  if (summary.report_episodes > options.report_episodes) summary.report_episodes = options.report_episodes;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace clincode
