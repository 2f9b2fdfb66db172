// The validation summary as JSON and as a self-contained HTML report for a coding manager.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "clincode/validate_stream.h"

namespace clincode {
namespace {

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// 1234567 -> "1,234,567", as a report reader expects.
std::string Thousands(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::vector<std::pair<std::string, std::size_t>> Top(const std::map<std::string, std::size_t>& m, std::size_t n) {
  std::vector<std::pair<std::string, std::size_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (v.size() > n) v.resize(n);
  return v;
}

// A horizontal bar chart as inline SVG: one labelled bar per item.
std::string BarChart(const std::string& title, const std::vector<std::pair<std::string, std::size_t>>& items,
                     const char* colour) {
  constexpr int kLabel = 300, kBar = 420, kRow = 26;
  std::size_t max = 1;
  for (const auto& [k, v] : items) max = std::max(max, v);
  int height = static_cast<int>(items.size()) * kRow + 10;
  std::string svg = fmt::format(
      "<figure><figcaption>{}</figcaption><svg role=\"img\" aria-label=\"{}\" width=\"{}\" height=\"{}\" "
      "xmlns=\"http://www.w3.org/2000/svg\">",
      Escape(title), Escape(title), kLabel + kBar + 80, std::max(height, 30));
  if (items.empty()) svg += "<text x=\"0\" y=\"20\">No findings</text>";
  for (std::size_t i = 0; i < items.size(); ++i) {
    int y = static_cast<int>(i) * kRow + 5;
    int w = static_cast<int>(static_cast<double>(items[i].second) / static_cast<double>(max) * kBar);
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"13\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>",
        kLabel - 8, y + 14, Escape(items[i].first), kLabel, y, std::max(w, 1),
        items[i].first == "warning" ? "#d68910"
        : items[i].first == "info"  ? "#7f8c8d"
                                    : colour,
        kLabel + std::max(w, 1) + 6, y + 14, Thousands(items[i].second));
  }
  return svg + "</svg></figure>\n";
}

}  // namespace

std::string SummaryJson(const ValidateSummary& s) {
  nlohmann::json j = {{"source", s.source},
                      {"rows_read", s.rows_read},
                      {"episodes_checked", s.episodes_checked},
                      {"rows_unreadable", s.rows_unreadable},
                      {"episodes_with_errors", s.episodes_with_errors},
                      {"episodes_with_warnings", s.episodes_with_warnings},
                      {"findings", s.findings},
                      {"findings_per_rule", s.per_rule},
                      {"findings_per_severity", s.per_severity},
                      {"seconds", s.seconds}};
  nlohmann::json codes = nlohmann::json::array();
  for (const auto& [code, n] : Top(s.per_code, 20)) codes.push_back({{"code", code}, {"findings", n}});
  j["top_codes"] = codes;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string HtmlReport(const ValidateSummary& s) {
  std::string html = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>clincode validation report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2a36;max-width:1000px}
h1{font-size:1.6rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #cfd8e3;border-radius:8px;padding:.8rem 1.2rem;min-width:150px}
.card b{display:block;font-size:1.6rem}figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.4rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e8ee;padding:.3rem .5rem;text-align:left}
td.n{text-align:right}
</style></head><body>
)";
  html += fmt::format("<h1>Clinical coding validation</h1><p>Source: {} &middot; checked in {:.2f} s</p>\n",
                      Escape(s.source), s.seconds);
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
  html += BarChart("Findings per rule", Top(s.per_rule, 25), "#2f6db3");
  html += BarChart("Findings per severity", Top(s.per_severity, 3), "#c0392b");
  html += BarChart("Codes most often in findings", Top(s.per_code, 15), "#16a085");
  html += "<h2>Rules</h2><table><tr><th>rule</th><th>what it checks</th><th>findings</th></tr>\n";
  for (const auto& [rule, n] : Top(s.per_rule, 1000)) {
    auto title = s.rule_titles.find(rule);
    html += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n", Escape(rule),
                        Escape(title == s.rule_titles.end() ? "" : title->second), Thousands(n));
  }
  return html + "</table></body></html>\n";
}

}  // namespace clincode
