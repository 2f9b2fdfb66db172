// The validation summary as JSON and as a self-contained HTML report for a coding manager.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "clincode/validate_stream.h"
#include "coding/html_parts.h"
#include "util/text.h"

namespace clincode {
namespace {

using html::Thousands;
using html::Top;

// A chart of counts, each bar coloured by `colour_of` its label.
template <typename ColourOf>
std::string CountChart(const std::string& title, const std::vector<std::pair<std::string, std::size_t>>& items,
                       ColourOf colour_of) {
  std::vector<html::Bar> bars;
  for (const auto& [k, v] : items) bars.push_back({k, static_cast<double>(v), Thousands(v), colour_of(k)});
  return html::BarChart(title, bars, 0, "No findings");
}

std::string Anchor(std::string_view rule) { return "rule-" + text::EscapeMarkup(rule); }

// The table of episodes with findings, sorted, filtered and paged by the script at the end of the report.
std::string FindingsTable(const ValidateSummary& s) {
  std::string html = fmt::format(
      "<h2 id=\"episodes\">Episodes with findings</h2>\n<p>{}</p>\n"
      "<div class=\"controls\"><label>Filter <input id=\"findings-filter\" type=\"search\" placeholder=\"episode, "
      "rule, code "
      "or words\"></label> <label>Severity <select id=\"findings-class\"><option "
      "value=\"\">all</option><option>error</option>"
      "<option>warning</option><option>info</option></select></label> <span id=\"findings-shown\" "
      "aria-live=\"polite\"></span>"
      "</div>\n<table id=\"findings\" class=\"stack\"><thead><tr><th data-key=\"0\" "
      "aria-sort=\"none\"><button>Episode</button></th>"
      "<th data-key=\"1\" data-numeric=\"1\"><button>Line</button></th><th "
      "data-key=\"2\"><button>Severity</button></th>"
      "<th data-key=\"3\"><button>Rule</button></th><th data-key=\"4\"><button>Position</button></th>"
      "<th data-key=\"5\"><button>Code</button></th><th>Message and fix</th></tr></thead><tbody>\n",
      s.report_episodes < s.episodes_with_findings
          ? fmt::format("The first {} of {} episodes with findings, in file order (the findings file has them all).",
                        Thousands(s.report_episodes), Thousands(s.episodes_with_findings))
          : fmt::format("{} episodes with findings.", Thousands(s.episodes_with_findings)));
  for (const Finding& f : s.report_findings) {
    const std::string severity(SeverityName(f.severity));
    html += fmt::format(
        "<tr class=\"{}\"><td data-label=\"Episode\">{}</td><td class=\"n\" data-label=\"Line\">{}</td>"
        "<td data-label=\"Severity\"><span class=\"sev {}\">{}</span></td>"
        "<td data-label=\"Rule\"><a href=\"#{}\">{}</a></td><td data-label=\"Position\">{}</td>"
        "<td data-label=\"Code\">{}</td><td data-label=\"Message\"><div>{}<br><small>fix: {}</small></div></td></tr>\n",
        severity, text::EscapeMarkup(f.episode_id), f.line, severity, severity, Anchor(f.rule_id),
        text::EscapeMarkup(f.rule_id), text::EscapeMarkup(f.position), text::EscapeMarkup(f.code),
        text::EscapeMarkup(f.message), text::EscapeMarkup(f.fix));
  }
  html +=
      "</tbody></table>\n<nav class=\"pager\" aria-label=\"Pages of findings\"><button "
      "id=\"findings-prev\">Previous</button> "
      "<span id=\"findings-page\"></span> <button id=\"findings-next\">Next</button></nav>\n";
  return html;
}

}  // namespace

std::string SummaryJson(const ValidateSummary& s) {
  nlohmann::json j = {{"source", s.source},
                      {"rows_read", s.rows_read},
                      {"episodes_checked", s.episodes_checked},
                      {"rows_unreadable", s.rows_unreadable},
                      {"episodes_with_errors", s.episodes_with_errors},
                      {"episodes_with_warnings", s.episodes_with_warnings},
                      {"episodes_with_findings", s.episodes_with_findings},
                      {"findings", s.findings},
                      {"findings_per_rule", s.per_rule},
                      {"findings_per_severity", s.per_severity},
                      {"notices", s.notices},
                      {"rules_run", s.rules_run},
                      {"rules_not_run", s.rules_not_run},
                      {"seconds", s.seconds}};
  nlohmann::json codes = nlohmann::json::array();
  for (const auto& [code, n] : Top(s.per_code, 20)) codes.push_back({{"code", code}, {"findings", n}});
  j["top_codes"] = codes;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string HtmlReport(const ValidateSummary& s) {
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n<title>clincode validation report</title>\n<style>{}</style>"
      "</head><body>\n",
      html::kReportCss);
  html += fmt::format("<h1>Clinical coding validation</h1><p>Source: {} &middot; checked in {:.2f} s</p>\n",
                      text::EscapeMarkup(s.source), s.seconds);
  for (const auto& n : s.notices)
    html += fmt::format("<p class=\"notice\" role=\"note\">{}</p>\n", text::EscapeMarkup(n));
  double pct_err = s.episodes_checked
                       ? 100.0 * static_cast<double>(s.episodes_with_errors) / static_cast<double>(s.episodes_checked)
                       : 0;
  html += fmt::format(
      "<div class=\"cards\"><div class=\"card\"><b>{}</b>rows read</div><div class=\"card\"><b>{}</b>episodes "
      "checked</div><div class=\"card\"><b>{}</b>with errors ({:.1f}%)</div><div class=\"card\"><b>{}</b>with "
      "warnings</div><div class=\"card\"><b>{}</b>unreadable rows</div><div "
      "class=\"card\"><b>{}</b>findings</div></div>\n",
      Thousands(s.rows_read), Thousands(s.episodes_checked), Thousands(s.episodes_with_errors), pct_err,
      Thousands(s.episodes_with_warnings), Thousands(s.rows_unreadable), Thousands(s.findings));
  html += fmt::format(
      "<p class=\"legend\"><span><i style=\"background:{}\"></i>error</span><span><i style=\"background:{}\"></i>"
      "warning</span><span><i style=\"background:{}\"></i>info</span></p>\n",
      html::SeverityColour("error"), html::SeverityColour("warning"), html::SeverityColour("info"));
  auto rule_colour = [&](const std::string& rule) {
    auto it = s.rule_severities.find(rule);
    return html::SeverityColour(it == s.rule_severities.end() ? "error" : it->second);
  };
  html += CountChart("Findings per rule", Top(s.per_rule, 25), rule_colour);
  html += CountChart("Findings per severity", Top(s.per_severity, 3),
                     [](const std::string& k) { return html::SeverityColour(k); });
  html += CountChart("Codes most often in findings", Top(s.per_code, 15), [](const std::string&) { return "#2f6db3"; });
  html += FindingsTable(s);
  html +=
      "<h2 id=\"rules\">Rules</h2><table class=\"stack\"><thead><tr><th>rule</th><th>what it "
      "checks</th><th>severity</th>"
      "<th>standard</th><th>findings</th></tr></thead><tbody>\n";
  auto find_or = [](const std::map<std::string, std::string>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::string() : it->second;
  };
  for (const auto& [rule, n] : Top(s.per_rule, 1000)) {
    html += fmt::format(
        "<tr id=\"{}\"><td data-label=\"Rule\">{}</td><td data-label=\"What it checks\">{}</td>"
        "<td data-label=\"Severity\"><span class=\"sev {}\">{}</span></td>"
        "<td data-label=\"Standard\">{}</td><td class=\"n\" data-label=\"Findings\">{}</td></tr>\n",
        Anchor(rule), text::EscapeMarkup(rule), text::EscapeMarkup(find_or(s.rule_titles, rule)),
        text::EscapeMarkup(find_or(s.rule_severities, rule)), text::EscapeMarkup(find_or(s.rule_severities, rule)),
        text::EscapeMarkup(find_or(s.rule_standards, rule)), Thousands(n));
  }
  html += "</tbody></table>\n";
  if (!s.rules_run.empty() || !s.rules_not_run.empty()) {
    html += fmt::format("<h2>What was checked</h2><p>{} of {} rules ran.</p>", s.rules_run.size(),
                        s.rules_run.size() + s.rules_not_run.size());
    if (!s.rules_not_run.empty()) {
      html += "<ul>";
      for (const auto& [id, why] : s.rules_not_run)
        html += fmt::format("<li><b>{}</b> did not run: {}</li>", text::EscapeMarkup(id), text::EscapeMarkup(why));
      html += "</ul>\n";
    }
    std::string ran;
    for (const auto& id : s.rules_run) ran += (ran.empty() ? "" : ", ") + text::EscapeMarkup(id);
    html += fmt::format("<p><small>Rules that ran: {}</small></p>\n", ran);
  }
  return html + html::TableScript("findings", "findings") + "</body></html>\n";
}

}  // namespace clincode
