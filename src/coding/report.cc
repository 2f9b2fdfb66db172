// The validation summary as JSON and as a self-contained HTML report for a coding manager.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "clincode/validate_stream.h"
#include "util/text.h"

namespace clincode {
namespace {

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

// The colour of each severity, in the charts and the table (contrast 4.5:1 or more on white).
const char* SeverityColour(std::string_view severity) {
  if (severity == "error") return "#b03a2e";
  if (severity == "warning") return "#9a6300";
  return "#4a6378";
}

// A horizontal bar chart as inline SVG: one labelled bar per item, coloured by `colour_of` the label.
template <typename ColourOf>
std::string BarChart(const std::string& title, const std::vector<std::pair<std::string, std::size_t>>& items,
                     ColourOf colour_of) {
  constexpr int kLabel = 300, kBar = 420, kRow = 26;
  std::size_t max = 1;
  for (const auto& [k, v] : items) max = std::max(max, v);
  int height = static_cast<int>(items.size()) * kRow + 10;
  std::string svg = fmt::format(
      "<figure><figcaption>{}</figcaption><svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {} {}\" "
      "width=\"100%\" style=\"max-width:{}px\" xmlns=\"http://www.w3.org/2000/svg\">",
      text::EscapeMarkup(title), text::EscapeMarkup(title), kLabel + kBar + 90, std::max(height, 30),
      kLabel + kBar + 90);
  if (items.empty()) svg += "<text x=\"0\" y=\"20\" font-size=\"14\">No findings</text>";
  for (std::size_t i = 0; i < items.size(); ++i) {
    int y = static_cast<int>(i) * kRow + 5;
    int w = static_cast<int>(static_cast<double>(items[i].second) / static_cast<double>(max) * kBar);
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"14\" fill=\"#1d2a36\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" fill=\"{}\"><title>{}: {}</title></rect>"
        "<text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#1d2a36\">{}</text>",
        kLabel - 8, y + 14, text::EscapeMarkup(items[i].first), kLabel, y, std::max(w, 1), colour_of(items[i].first),
        text::EscapeMarkup(items[i].first), Thousands(items[i].second), kLabel + std::max(w, 1) + 6, y + 14,
        Thousands(items[i].second));
  }
  return svg + "</svg></figure>\n";
}

std::string Anchor(std::string_view rule) { return "rule-" + text::EscapeMarkup(rule); }

// The table of episodes with findings, sorted, filtered and paged by the script at the end of the report.
std::string FindingsTable(const ValidateSummary& s) {
  std::string html = fmt::format(
      "<h2 id=\"episodes\">Episodes with findings</h2>\n<p>{}</p>\n"
      "<div class=\"controls\"><label>Filter <input id=\"filter\" type=\"search\" placeholder=\"episode, rule, code "
      "or words\"></label> <label>Severity <select id=\"severity\"><option "
      "value=\"\">all</option><option>error</option>"
      "<option>warning</option><option>info</option></select></label> <span id=\"shown\" aria-live=\"polite\"></span>"
      "</div>\n<table id=\"findings\"><thead><tr><th data-key=\"0\" aria-sort=\"none\"><button>Episode</button></th>"
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
        "<tr class=\"{}\"><td>{}</td><td class=\"n\">{}</td><td><span class=\"sev {}\">{}</span></td>"
        "<td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}<br><small>fix: {}</small></td></tr>\n",
        severity, text::EscapeMarkup(f.episode_id), f.line, severity, severity, Anchor(f.rule_id),
        text::EscapeMarkup(f.rule_id), text::EscapeMarkup(f.position), text::EscapeMarkup(f.code),
        text::EscapeMarkup(f.message), text::EscapeMarkup(f.fix));
  }
  html +=
      "</tbody></table>\n<nav class=\"pager\" aria-label=\"Pages of findings\"><button id=\"prev\">Previous</button> "
      "<span id=\"page\"></span> <button id=\"next\">Next</button></nav>\n";
  return html;
}

// Sorting, filtering and paging of the findings table; without scripts every row shows.
constexpr const char* kTableScript = R"(<script>
(() => {
  const body = document.querySelector('#findings tbody');
  const rows = Array.from(body.rows);
  const filter = document.getElementById('filter'), severity = document.getElementById('severity');
  const shown = document.getElementById('shown'), pageLabel = document.getElementById('page');
  const per = 50;
  let page = 0, matching = rows;
  function draw() {
    const pages = Math.max(1, Math.ceil(matching.length / per));
    page = Math.min(page, pages - 1);
    rows.forEach((r) => { r.hidden = true; r.classList.remove('match'); });
    matching.forEach((r, i) => { r.classList.add('match'); r.hidden = i < page * per || i >= (page + 1) * per; });
    shown.textContent = `${matching.length} of ${rows.length} findings`;
    pageLabel.textContent = `page ${page + 1} of ${pages}`;
    document.getElementById('prev').disabled = page === 0;
    document.getElementById('next').disabled = page >= pages - 1;
  }
  function apply() {
    const words = filter.value.trim().toLowerCase(), sev = severity.value;
    matching = rows.filter((r) => (!sev || r.className.split(' ').includes(sev)) &&
      (!words || r.textContent.toLowerCase().includes(words)));
    page = 0;
    draw();
  }
  filter.addEventListener('input', apply);
  severity.addEventListener('change', apply);
  document.getElementById('prev').addEventListener('click', () => { page -= 1; draw(); });
  document.getElementById('next').addEventListener('click', () => { page += 1; draw(); });
  document.querySelectorAll('#findings th[data-key]').forEach((th) => {
    th.querySelector('button').addEventListener('click', () => {
      const key = Number(th.dataset.key), numeric = th.dataset.numeric === '1';
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      document.querySelectorAll('#findings th').forEach((h) => h.removeAttribute('aria-sort'));
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const value = (r) => r.cells[key].textContent;
      rows.sort((a, b) => {
        const c = numeric ? Number(value(a)) - Number(value(b)) : value(a).localeCompare(value(b), 'en', {numeric: true});
        return ascending ? c : -c;
      });
      rows.forEach((r) => body.appendChild(r));
      apply();
    });
  });
  apply();
})();
</script>
)";

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
  std::string html = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>clincode validation report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;padding:0 1rem;color:#1d2a36;max-width:1100px;line-height:1.4}
h1{font-size:1.6rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #cfd8e3;border-radius:8px;padding:.8rem 1.2rem;min-width:150px}
.card b{display:block;font-size:1.6rem}figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.4rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e8ee;padding:.3rem .5rem;text-align:left;
vertical-align:top}td.n{text-align:right}th button{font:inherit;font-weight:600;background:none;border:0;padding:0;
cursor:pointer;color:inherit}th[aria-sort=ascending] button::after{content:" \25B2"}
th[aria-sort=descending] button::after{content:" \25BC"}.notice{border-left:4px solid #9a6300;background:#fff8e6;
padding:.6rem 1rem;margin:1rem 0}.sev{font-weight:600}.sev.error{color:#b03a2e}.sev.warning{color:#9a6300}
.sev.info{color:#4a6378}.controls{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:.5rem 0}
.pager{margin:.6rem 0}small{color:#4a5a68}.legend span{margin-right:1rem}.legend i{display:inline-block;width:.9rem;
height:.9rem;margin-right:.3rem;vertical-align:-2px}
@media print{.controls,.pager{display:none}#findings tr.match{display:table-row!important}body{margin:0}
a{color:inherit;text-decoration:none}}
</style></head><body>
)";
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
      SeverityColour("error"), SeverityColour("warning"), SeverityColour("info"));
  auto rule_colour = [&](const std::string& rule) {
    auto it = s.rule_severities.find(rule);
    return SeverityColour(it == s.rule_severities.end() ? "error" : it->second);
  };
  html += BarChart("Findings per rule", Top(s.per_rule, 25), rule_colour);
  html +=
      BarChart("Findings per severity", Top(s.per_severity, 3), [](const std::string& k) { return SeverityColour(k); });
  html += BarChart("Codes most often in findings", Top(s.per_code, 15), [](const std::string&) { return "#2f6db3"; });
  html += FindingsTable(s);
  html +=
      "<h2 id=\"rules\">Rules</h2><table><thead><tr><th>rule</th><th>what it checks</th><th>severity</th>"
      "<th>standard</th><th>findings</th></tr></thead><tbody>\n";
  auto find_or = [](const std::map<std::string, std::string>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::string() : it->second;
  };
  for (const auto& [rule, n] : Top(s.per_rule, 1000)) {
    html += fmt::format(
        "<tr id=\"{}\"><td>{}</td><td>{}</td><td><span class=\"sev {}\">{}</span></td>"
        "<td>{}</td><td class=\"n\">{}</td></tr>\n",
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
  return html + kTableScript + "</body></html>\n";
}

}  // namespace clincode
