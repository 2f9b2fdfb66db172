// Pieces of the self-contained HTML reports (validation, audit): numbers as a reader expects them, bar
// charts whose labels are text (readable on a phone and in print), the stylesheet they share, and tables a
// phone shows a row at a time.
#ifndef CLINCODE_CODING_HTML_PARTS_H_
#define CLINCODE_CODING_HTML_PARTS_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace clincode::html {

// 1234567 -> "1,234,567".
std::string Thousands(std::size_t n);

// The `n` largest entries of `m`, largest first (ties in key order).
std::vector<std::pair<std::string, std::size_t>> Top(const std::map<std::string, std::size_t>& m, std::size_t n);

// The colour of a severity or other kind in charts and tables (contrast 4.5:1 or more on white).
const char* SeverityColour(const std::string& severity);

// One bar of a chart: its label, its value, the text shown beside it ("1,234" or "92.50%"), its colour,
// and marks drawn across it (thresholds), each at a value of the scale with its own label.
struct Bar {
  std::string label;
  double value = 0;
  std::string shown;
  std::string colour = "#2f6db3";
  std::vector<std::pair<double, std::string>> marks;
};

// A horizontal bar chart in HTML: a label, a bar scaled to `scale` (the largest value when 0), the shown
// value. `empty` is said when there are no bars.
std::string BarChart(const std::string& title, const std::vector<Bar>& bars, double scale = 0,
                     const std::string& empty = "None");

// The script that sorts (buttons in `th[data-key]`, `data-numeric="1"` for numbers), filters (words in
// `#<table>-filter`, a row class chosen in `#<table>-class`) and pages (50 rows, `#<table>-prev`,
// `#<table>-next`, `#<table>-page`, `#<table>-shown`) the rows of table `#<table>`; without scripts every
// row shows. `noun` names the rows ("findings").
std::string TableScript(const std::string& table, const std::string& noun);

// The stylesheet of the reports: page, cards, notices, tables (a row a block below 640 px: give each
// cell a data-label), charts, print.
extern const char* const kReportCss;

}  // namespace clincode::html

#endif  // CLINCODE_CODING_HTML_PARTS_H_
