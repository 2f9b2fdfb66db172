#include "coding/html_parts.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/text.h"

namespace clincode::html {

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

const char* SeverityColour(const std::string& severity) {
  if (severity == "error") return "#b03a2e";
  if (severity == "warning") return "#9a6300";
  return "#4a6378";
}

std::string BarChart(const std::string& title, const std::vector<Bar>& bars, double scale, const std::string& empty) {
  double max = scale;
  for (const Bar& b : bars) {
    max = std::max(max, b.value);
    for (const auto& [at, label] : b.marks) max = std::max(max, at);
  }
  if (max <= 0) max = 1;
  std::string out = fmt::format("<figure class=\"chart\"><figcaption>{}</figcaption>", text::EscapeMarkup(title));
  if (bars.empty()) return out + fmt::format("<p>{}</p></figure>\n", text::EscapeMarkup(empty));
  out += fmt::format("<ul class=\"bars\" aria-label=\"{}\">", text::EscapeMarkup(title));
  for (const Bar& b : bars) {
    std::string mark;
    for (const auto& [at, label] : b.marks) {
      mark += fmt::format("<span class=\"mark\" style=\"left:{:.2f}%\" title=\"{}\"></span>", at / max * 100,
                          text::EscapeMarkup(label));
    }
    out += fmt::format(
        "<li><span class=\"bar-label\" title=\"{0}\">{0}</span><span class=\"bar-track\"><span class=\"bar\" "
        "style=\"width:{1:.2f}%;background:{2}\"></span>{3}</span><span class=\"bar-value\">{4}</span></li>",
        text::EscapeMarkup(b.label), std::max(b.value / max * 100, 0.5), b.colour, mark, text::EscapeMarkup(b.shown));
  }
  return out + "</ul></figure>\n";
}

std::string TableScript(const std::string& table, const std::string& noun) {
  std::string script = R"(<script>
(() => {
  const id = (s) => document.getElementById('@T-' + s);
  const body = document.querySelector('#@T tbody');
  const rows = Array.from(body.rows);
  const filter = id('filter'), kind = id('class'), shown = id('shown'), pageLabel = id('page');
  const per = 50;
  let page = 0, matching = rows;
  function draw() {
    const pages = Math.max(1, Math.ceil(matching.length / per));
    page = Math.min(page, pages - 1);
    rows.forEach((r) => { r.hidden = true; r.classList.remove('match'); });
    matching.forEach((r, i) => { r.classList.add('match'); r.hidden = i < page * per || i >= (page + 1) * per; });
    shown.textContent = `${matching.length} of ${rows.length} @N`;
    pageLabel.textContent = `page ${page + 1} of ${pages}`;
    id('prev').disabled = page === 0;
    id('next').disabled = page >= pages - 1;
  }
  function apply() {
    const words = filter.value.trim().toLowerCase(), want = kind ? kind.value : '';
    matching = rows.filter((r) => (!want || r.className.split(' ').includes(want)) &&
      (!words || r.textContent.toLowerCase().includes(words)));
    page = 0;
    draw();
  }
  filter.addEventListener('input', apply);
  if (kind) kind.addEventListener('change', apply);
  id('prev').addEventListener('click', () => { page -= 1; draw(); });
  id('next').addEventListener('click', () => { page += 1; draw(); });
  document.querySelectorAll('#@T th[data-key]').forEach((th) => {
    th.querySelector('button').addEventListener('click', () => {
      const key = Number(th.dataset.key), numeric = th.dataset.numeric === '1';
      const ascending = th.getAttribute('aria-sort') !== 'ascending';
      document.querySelectorAll('#@T th').forEach((h) => h.removeAttribute('aria-sort'));
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
  // The ids and the noun are the report's own words, never input.
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"@T", table}, {"@N", noun}}) {
    for (std::size_t at = script.find(from); at != std::string::npos; at = script.find(from, at + to.size()))
      script.replace(at, from.size(), to);
  }
  return script;
}

const char* const kReportCss = R"(
body{font-family:system-ui,sans-serif;margin:2rem auto;padding:0 1rem;color:#1d2a36;max-width:1100px;line-height:1.4}
h1{font-size:1.6rem}.cards{display:flex;gap:1rem;flex-wrap:wrap}
.card{border:1px solid #cfd8e3;border-radius:8px;padding:.8rem 1.2rem;min-width:150px}
.card b{display:block;font-size:1.6rem}figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.4rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #e3e8ee;padding:.3rem .5rem;text-align:left;
vertical-align:top}td{overflow-wrap:break-word}td.n{text-align:right}th button{font:inherit;font-weight:600;
background:none;border:0;padding:0;cursor:pointer;color:inherit}th[aria-sort=ascending] button::after{content:" \25B2"}
th[aria-sort=descending] button::after{content:" \25BC"}.notice{border-left:4px solid #9a6300;background:#fff8e6;
padding:.6rem 1rem;margin:1rem 0}.sev{font-weight:600}.sev.error{color:#b03a2e}.sev.warning{color:#9a6300}
.sev.info{color:#4a6378}.controls{display:flex;gap:1rem;flex-wrap:wrap;align-items:center;margin:.5rem 0}
.pager{margin:.6rem 0}small{color:#4a5a68}.legend span{margin-right:1rem}.legend i{display:inline-block;width:.9rem;
height:.9rem;margin-right:.3rem;vertical-align:-2px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.bars{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:minmax(4em,max-content) 1fr auto;
gap:.35rem .6rem;align-items:center;max-width:900px}.bars li{display:contents}
.bar-label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:22em;text-align:right}
.bar-track{position:relative;background:#eef2f6;height:1.1rem;border-radius:2px;-webkit-print-color-adjust:exact;
print-color-adjust:exact}.bar{display:block;height:100%;border-radius:2px;-webkit-print-color-adjust:exact;
print-color-adjust:exact}.mark{position:absolute;top:-3px;bottom:-3px;border-left:2px dashed #1d2a36}
.bar-value{font-variant-numeric:tabular-nums}
@media screen and (max-width:640px){body{margin:1rem auto}td{overflow-wrap:anywhere}.card{min-width:110px;flex:1 1 110px;padding:.6rem .8rem}
.bar-label{max-width:9em}table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{display:block;border-bottom:2px solid #cfd8e3;padding:.3rem 0}
table.stack td{display:grid;grid-template-columns:6.5em 1fr;gap:.5rem;border:0;padding:.1rem .3rem;text-align:left}
table.stack td::before{content:attr(data-label);font-weight:600;color:#4a5a68}table.stack td:empty{display:none}
table.stack tr[hidden]{display:none}}
@media print{.controls,.pager{display:none}table.stack tr.match{display:table-row!important}body{margin:0}
a{color:inherit;text-decoration:none}figure,tr{break-inside:avoid}}
)";

}  // namespace clincode::html
