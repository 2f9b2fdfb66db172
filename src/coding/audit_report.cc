// The audit summary as JSON, and the report a coding manager takes to a meeting: the four figures against
// the attainment thresholds, the errors by kind (a Pareto chart), the codes most often wrong, breakdowns and
// every error in a table to filter. One self-contained file that reads well printed.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "clincode/audit.h"
#include "coding/html_parts.h"
#include "util/text.h"

namespace clincode {
namespace {

using html::Thousands;
using nlohmann::json;

json FigureJson(const AuditFigure& f, bool with_errors) {
  json j = {{"correct", f.correct}, {"total", f.total}, {"percent", f.Percent()}};
  if (with_errors) {
    json errors = json::object();
    for (std::size_t k = 0; k < kCodeErrorKinds; ++k) {
      if (f.errors[k] > 0) errors[std::string(AuditErrorKindName(static_cast<AuditErrorKind>(k)))] = f.errors[k];
    }
    j["errors"] = errors;
  }
  return j;
}

json FiguresJson(const AuditFigures& f, bool with_errors) {
  json j = {{"episodes", f.episodes}};
  for (AuditCodeType t : kAuditCodeTypes) j[std::string(AuditCodeTypeName(t))] = FigureJson(f.of(t), with_errors);
  return j;
}

json AttainmentJson(const AuditSummary& s, const AttainmentProfile& p) {
  auto level = [](const std::string& name) { return name.empty() ? json(nullptr) : json(name); };
  json j = {{"profile", p.id}, {"title", p.title}, {"source", p.source}};
  if (!p.note.empty()) j["note"] = p.note;
  for (AuditCodeType t : kAuditCodeTypes)
    j[std::string(AuditCodeTypeName(t))] = level(p.LevelReached(t, s.figures.of(t)));
  j["all_four"] = level(p.LevelReachedByAll(s.figures));
  json levels = json::array();
  for (const auto& l : p.levels) {
    json x = {{"name", l.name}};
    for (AuditCodeType t : kAuditCodeTypes) x[std::string(AuditCodeTypeName(t))] = l.threshold[static_cast<int>(t)];
    levels.push_back(x);
  }
  j["levels"] = levels;
  return j;
}

std::string Percent(double p) { return fmt::format("{:.2f}%", p); }

// A bar per code type, to 100%, with a mark at each level's threshold.
std::string FiguresChart(const AuditSummary& s, const AttainmentProfile& p) {
  std::vector<html::Bar> bars;
  for (AuditCodeType t : kAuditCodeTypes) {
    const AuditFigure& f = s.figures.of(t);
    const std::string reached = p.LevelReached(t, f);
    html::Bar b{std::string(AuditCodeTypeTitle(t)), f.Percent(),
                fmt::format("{} ({})", Percent(f.Percent()), reached.empty() ? "below every level" : reached),
                reached.empty()                   ? "#b03a2e"
                : reached == p.levels.back().name ? "#1e6b35"
                                                  : "#2f6db3"};
    for (const auto& l : p.levels)
      b.marks.push_back(
          {l.threshold[static_cast<int>(t)], fmt::format("{}: {}%", l.name, l.threshold[static_cast<int>(t)])});
    bars.push_back(std::move(b));
  }
  return html::BarChart("Accuracy against the " + p.title + " thresholds (dashed: each level)", bars, 100);
}

// Errors by kind, most frequent first, each with the running share of all errors: the kinds to work on first.
std::string ParetoChart(const AuditSummary& s) {
  std::vector<std::pair<AuditErrorKind, std::size_t>> v;
  for (std::size_t k = 0; k < kCodeErrorKinds; ++k) {
    if (s.errors_by_kind[k] > 0) v.push_back({static_cast<AuditErrorKind>(k), s.errors_by_kind[k]});
  }
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<html::Bar> bars;
  std::size_t running = 0;
  for (const auto& [kind, n] : v) {
    running += n;
    const double share = 100.0 * static_cast<double>(running) / static_cast<double>(s.code_errors);
    bars.push_back({std::string(AuditErrorKindTitle(kind)), static_cast<double>(n),
                    fmt::format("{} ({:.0f}% of errors so far)", Thousands(n), share), "#9a6300"});
  }
  return html::BarChart("Errors by kind, most frequent first (Pareto)", bars, 0, "No code errors");
}

std::string FiguresTable(const AuditSummary& s, const AttainmentProfile& p) {
  std::string out =
      "<table class=\"stack\"><thead><tr><th>Code type</th><th>Correct</th><th>Audited</th><th>Accuracy</th>"
      "<th>Level reached</th>";
  for (const auto& l : p.levels) out += fmt::format("<th>{}</th>", text::EscapeMarkup(l.name));
  out += "<th>Errors</th></tr></thead><tbody>";
  for (AuditCodeType t : kAuditCodeTypes) {
    const AuditFigure& f = s.figures.of(t);
    std::size_t errors = 0;
    for (std::size_t n : f.errors) errors += n;
    const std::string reached = p.LevelReached(t, f);
    out += fmt::format(
        "<tr><td data-label=\"Code type\">{}</td><td class=\"n\" data-label=\"Correct\">{}</td>"
        "<td class=\"n\" data-label=\"Audited\">{}</td><td class=\"n\" data-label=\"Accuracy\"><b>{}</b></td>"
        "<td data-label=\"Level reached\">{}</td>",
        AuditCodeTypeTitle(t), Thousands(f.correct), Thousands(f.total), Percent(f.Percent()),
        reached.empty() ? "<span class=\"sev error\">none</span>" : text::EscapeMarkup(reached));
    for (const auto& l : p.levels) {
      out += fmt::format("<td class=\"n\" data-label=\"{}\">{}{}%</td>", text::EscapeMarkup(l.name), "&ge;",
                         l.threshold[static_cast<int>(t)]);
    }
    out += fmt::format("<td class=\"n\" data-label=\"Errors\">{}</td></tr>", Thousands(errors));
  }
  return out + "</tbody></table>\n";
}

std::string BreakdownTables(const AuditSummary& s, const AttainmentProfile& p) {
  std::string out;
  for (const auto& [dimension, groups] : s.breakdowns) {
    out += fmt::format("<h3>By {}</h3><table class=\"stack\"><thead><tr><th>{}</th><th>Episodes</th>",
                       text::EscapeMarkup(dimension), text::EscapeMarkup(dimension));
    for (AuditCodeType t : kAuditCodeTypes) out += fmt::format("<th>{}</th>", AuditCodeTypeTitle(t));
    out += "</tr></thead><tbody>";
    for (const auto& [value, f] : groups) {
      out += fmt::format("<tr><td data-label=\"{}\">{}</td><td class=\"n\" data-label=\"Episodes\">{}</td>",
                         text::EscapeMarkup(dimension), text::EscapeMarkup(value), Thousands(f.episodes));
      for (AuditCodeType t : kAuditCodeTypes) {
        const AuditFigure& x = f.of(t);
        const bool below = p.LevelReached(t, x).empty();
        out += fmt::format("<td class=\"n\" data-label=\"{}\">{}{}{} <small>of {}</small></td>", AuditCodeTypeTitle(t),
                           below ? "<span class=\"sev error\">" : "", Percent(x.Percent()), below ? "</span>" : "",
                           Thousands(x.total));
      }
      out += "</tr>";
    }
    out += "</tbody></table>\n";
  }
  return out;
}

std::string ErrorsTable(const AuditSummary& s) {
  const std::size_t all =
      s.code_errors + s.unmatched_original + s.unmatched_audited + s.unreadable_original + s.unreadable_audited;
  std::string out = fmt::format(
      "<h2 id=\"errors-h\">Every error</h2><p>{}</p>\n<div class=\"controls\"><label>Filter <input "
      "id=\"errors-filter\" "
      "type=\"search\" placeholder=\"episode, code or words\"></label> <label>Kind <select id=\"errors-class\">"
      "<option value=\"\">all</option>",
      s.report_errors.size() < all ? fmt::format("The first {} of {} (the errors file has them all).",
                                                 Thousands(s.report_errors.size()), Thousands(all))
                                   : fmt::format("{} errors and rows not scored.", Thousands(all)));
  for (AuditErrorKind k :
       {AuditErrorKind::kWrongCategory, AuditErrorKind::kWrongSubdivision, AuditErrorKind::kMissing,
        AuditErrorKind::kExtra, AuditErrorKind::kSequencing, AuditErrorKind::kDaggerAsterisk,
        AuditErrorKind::kUnmatchedOriginal, AuditErrorKind::kUnmatchedAudited, AuditErrorKind::kUnreadable}) {
    out += fmt::format("<option value=\"{}\">{}</option>", AuditErrorKindName(k), AuditErrorKindTitle(k));
  }
  out +=
      "</select></label> <span id=\"errors-shown\" aria-live=\"polite\"></span></div>\n<table id=\"errors\" "
      "class=\"stack\"><thead><tr><th data-key=\"0\"><button>Episode</button></th><th data-key=\"1\"><button>Type"
      "</button></th><th data-key=\"2\"><button>Kind</button></th><th>Coder</th><th>Auditor</th><th data-key=\"5\">"
      "<button>Rule</button></th></tr></thead><tbody>\n";
  auto code = [](const std::string& position, const std::string& c, const std::string& title) {
    if (c.empty()) return std::string();
    return fmt::format("{} <b>{}</b> {}", text::EscapeMarkup(position), text::EscapeMarkup(c),
                       title.empty() ? "" : "<small>" + text::EscapeMarkup(title) + "</small>");
  };
  for (const AuditError& e : s.report_errors) {
    const bool row = !IsCodeError(e.kind);
    out += fmt::format(
        "<tr class=\"{}\"><td data-label=\"Episode\">{}</td><td data-label=\"Type\">{}</td>"
        "<td data-label=\"Kind\">{}</td><td data-label=\"Coder\">{}</td><td data-label=\"Auditor\">{}</td>"
        "<td data-label=\"Rule\">{}</td></tr>\n",
        AuditErrorKindName(e.kind), text::EscapeMarkup(e.episode_id),
        row ? text::EscapeMarkup(e.file) + " line " + std::to_string(e.line) : std::string(AuditCodeTypeTitle(e.type)),
        AuditErrorKindTitle(e.kind),
        row ? text::EscapeMarkup(e.detail) : code(e.original_position, e.original_code, e.original_title),
        row ? "" : code(e.audited_position, e.audited_code, e.audited_title),
        e.rule_id.empty() ? ""
                          : text::EscapeMarkup(e.rule_id) +
                                (e.standard.empty() ? "" : " <small>" + text::EscapeMarkup(e.standard) + "</small>"));
  }
  out +=
      "</tbody></table>\n<nav class=\"pager\" aria-label=\"Pages of errors\"><button id=\"errors-prev\">Previous"
      "</button> <span id=\"errors-page\"></span> <button id=\"errors-next\">Next</button></nav>\n";
  return out;
}

}  // namespace

std::string AuditSummaryJson(const AuditSummary& s, const AttainmentProfile& p) {
  json j = {{"original", s.original_source},
            {"audited", s.audited_source},
            {"key", s.key},
            {"method", "code-match"},
            {"rows_original", s.rows_original},
            {"rows_audited", s.rows_audited},
            {"episodes_audited", s.episodes_audited},
            {"unmatched_original", s.unmatched_original},
            {"unmatched_audited", s.unmatched_audited},
            {"unreadable_original", s.unreadable_original},
            {"unreadable_audited", s.unreadable_audited}};
  for (AuditCodeType t : kAuditCodeTypes) j[std::string(AuditCodeTypeName(t))] = FigureJson(s.figures.of(t), true);
  j["attainment"] = AttainmentJson(s, p);
  json kinds = json::object();
  for (std::size_t k = 0; k < kCodeErrorKinds; ++k) {
    if (s.errors_by_kind[k] > 0)
      kinds[std::string(AuditErrorKindName(static_cast<AuditErrorKind>(k)))] = s.errors_by_kind[k];
  }
  j["code_errors"] = s.code_errors;
  j["errors_by_kind"] = kinds;
  json wrong = json::array();
  for (const auto& [c, n] : html::Top(s.codes_most_often_wrong, 25)) wrong.push_back({{"code", c}, {"errors", n}});
  j["codes_most_often_wrong"] = wrong;
  json breakdowns = json::object();
  for (const auto& [dimension, groups] : s.breakdowns) {
    for (const auto& [value, f] : groups) breakdowns[dimension][value] = FiguresJson(f, false);
  }
  j["breakdowns"] = breakdowns;
  j["notices"] = s.notices;
  j["seconds"] = s.seconds;
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string AuditHtmlReport(const AuditSummary& s, const AttainmentProfile& p) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n<title>clincode coding audit report</title>\n<style>{}</style>"
      "</head><body>\n<h1>Clinical coding audit</h1>\n<p>Original coding: <b>{}</b> &middot; audited: <b>{}</b> "
      "&middot; joined on {} &middot; {:.2f} s</p>\n",
      html::kReportCss, text::EscapeMarkup(s.original_source), text::EscapeMarkup(s.audited_source),
      text::EscapeMarkup(s.key), s.seconds);
  for (const auto& n : s.notices)
    out += fmt::format("<p class=\"notice\" role=\"note\">{}</p>\n", text::EscapeMarkup(n));
  const std::string all = p.LevelReachedByAll(s.figures);
  out += fmt::format(
      "<div class=\"cards\"><div class=\"card\"><b>{}</b>episodes audited</div><div class=\"card\"><b>{}</b>only "
      "in the original</div><div class=\"card\"><b>{}</b>only in the audited</div><div class=\"card\"><b>{}</b>rows "
      "not read</div><div class=\"card\"><b>{}</b>code errors</div><div class=\"card\"><b>{}</b>all four figures"
      "</div></div>\n",
      Thousands(s.episodes_audited), Thousands(s.unmatched_original), Thousands(s.unmatched_audited),
      Thousands(s.unreadable_original + s.unreadable_audited), Thousands(s.code_errors),
      all.empty() ? "no level" : text::EscapeMarkup(all));
  out += "<h2>The four figures</h2>\n" + FiguresChart(s, p) + FiguresTable(s, p);
  out += fmt::format("<p><small>Thresholds: {}. Source: {}{}</small></p>\n", text::EscapeMarkup(p.title),
                     text::EscapeMarkup(p.source), p.note.empty() ? "" : " " + text::EscapeMarkup(p.note));
  out += "<h2>Where the errors are</h2>\n" + ParetoChart(s);
  std::vector<html::Bar> wrong;
  for (const auto& [c, n] : html::Top(s.codes_most_often_wrong, 15))
    wrong.push_back({c, static_cast<double>(n), Thousands(n), "#2f6db3"});
  out += html::BarChart("Codes most often wrong (the auditor's code; the coder's where it was added)", wrong, 0,
                        "No code errors");
  if (!s.breakdowns.empty()) out += "<h2>Breakdowns</h2>\n" + BreakdownTables(s, p);
  out += ErrorsTable(s);
  out +=
      "<p><small>Accuracy as the NHS clinical coding audit methodology counts it (docs/audit.md): primary codes by "
      "episode, secondary codes as the auditor's codes the coder also recorded. Codes the coder added are errors "
      "that leave the figures unchanged.</small></p>\n";
  return out + html::TableScript("errors", "errors") + "</body></html>\n";
}

}  // namespace clincode
