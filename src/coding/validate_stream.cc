#include "clincode/validate_stream.h"

#include <fmt/format.h>

#include <chrono>
#include <mutex>
#include <unordered_map>

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

// A batch's counts. Findings are counted a million a second in a findings-heavy file, so a batch counts
// into hash maps and an array, and the summary's ordered maps are filled once per batch (Merge).
struct BatchCounts {
  ValidateSummary totals;  // the counters only
  std::unordered_map<std::string, std::size_t> per_rule, per_code;
  std::size_t per_severity[3] = {};  // by Severity
};

void Count(const std::vector<Finding>& findings, std::size_t from, BatchCounts* c) {
  ValidateSummary& s = c->totals;
  if (findings.size() > from) ++s.episodes_with_findings;
  bool error = false, warning = false;
  for (std::size_t i = from; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    ++s.findings;
    ++c->per_rule[f.rule_id];
    ++c->per_severity[static_cast<int>(f.severity)];
    // Codes only: a field finding (position SEX, EPISTART, ...) names a value, not a code.
    if (!f.code.empty() && (f.position.starts_with("OPERTN_") || f.position.starts_with("DIAG_")))
      ++c->per_code[f.code];
    error = error || f.severity == Severity::kError;
    warning = warning || f.severity == Severity::kWarning;
  }
  s.episodes_with_errors += error ? 1 : 0;
  s.episodes_with_warnings += warning ? 1 : 0;
}

void Merge(const BatchCounts& from, ValidateSummary* into) {
  const ValidateSummary& t = from.totals;
  into->rows_read += t.rows_read;
  into->episodes_checked += t.episodes_checked;
  into->rows_unreadable += t.rows_unreadable;
  into->episodes_with_errors += t.episodes_with_errors;
  into->episodes_with_warnings += t.episodes_with_warnings;
  into->findings += t.findings;
  into->episodes_with_findings += t.episodes_with_findings;
  for (const auto& [k, v] : from.per_rule) into->per_rule[k] += v;
  for (const auto& [k, v] : from.per_code) into->per_code[k] += v;
  for (Severity sev : {Severity::kError, Severity::kWarning, Severity::kInfo}) {
    const std::size_t n = from.per_severity[static_cast<int>(sev)];
    if (n > 0) into->per_severity[std::string(SeverityName(sev))] += n;
  }
}

// Findings vectors of delivered batches, kept for the next batches: a batch that starts with the memory of
// an earlier one does not grow its vector from nothing, moving every finding at each doubling.
class FindingBuffers {
 public:
  std::vector<Finding> Take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return {};
    std::vector<Finding> v = std::move(free_.back());
    free_.pop_back();
    return v;
  }
  void Give(std::vector<Finding>&& v) {
    v.clear();
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.size() < kKept) free_.push_back(std::move(v));
  }

 private:
  static constexpr std::size_t kKept = 16;  // more than the batches in flight at once
  std::mutex mutex_;
  std::vector<std::vector<Finding>> free_;
};

// The findings of one chunk, counted and formatted on the worker thread.
class ValidateBatch : public coding::EpisodeBatch {
 public:
  ValidateBatch(const Validator& validator, const FindingSink* sink, FindingBuffers* buffers)
      : findings(buffers->Take()), validator_(validator), sink_(sink), buffers_(buffers) {}
  ~ValidateBatch() override { buffers_->Give(std::move(findings)); }
  void Add(const Episode& episode) override {
    std::size_t before = findings.size();
    ++counts.totals.rows_read;
    ++counts.totals.episodes_checked;
    validator_.Check(episode, &findings);
    Count(findings, before, &counts);
  }
  void Unreadable(std::size_t line, const std::string& why) override {
    std::size_t before = findings.size();
    ++counts.totals.rows_read;
    ++counts.totals.rows_unreadable;
    findings.push_back(clincode::Unreadable(line, why));
    Count(findings, before, &counts);
  }
  void Finish() override {
    if (sink_ != nullptr && !findings.empty()) formatted = sink_->Format(findings);
  }

  std::vector<Finding> findings;
  std::string formatted;  // the sink's Format() of the findings
  BatchCounts counts;

 private:
  const Validator& validator_;
  const FindingSink* sink_;
  FindingBuffers* buffers_;
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
  FindingBuffers buffers;  // outlives every batch: StreamEpisodes returns after the last is delivered
  Status s = coding::StreamEpisodes(
      path, options, [&] { return std::make_unique<ValidateBatch>(validator, sink, &buffers); },
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
