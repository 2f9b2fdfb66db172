// The sink every batch command writes through (validate's findings, match's rows, audit's errors), in the
// CLI, the server and the Python module: each batch formatted as CSV rows or JSON lines on the worker that
// made it (FindingLines, MatchLines, AuditErrorLines), then handed, in input order, to `write`, which says
// whether to go on (false: the reader has gone, and nothing more is written).
#ifndef CLINCODE_APPS_SHARED_LINE_SINK_H_
#define CLINCODE_APPS_SHARED_LINE_SINK_H_

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clincode::shapes {

template <typename Sink, typename Item>
class LineSink : public Sink {
 public:
  using Lines = std::string (*)(const std::vector<Item>&, bool csv);
  using Writer = std::function<bool(std::string_view)>;

  LineSink(Lines lines, bool csv, Writer write) : lines_(lines), csv_(csv), write_(std::move(write)) {}
  std::string Format(const std::vector<Item>& batch) const override { return lines_(batch, csv_); }
  void Write(const std::vector<Item>&, const std::string& formatted) override {
    if (open_ && !formatted.empty()) open_ = write_(formatted);
  }
  // Also for a header or a last line of the caller's own.
  void WriteText(std::string_view text) {
    if (open_) open_ = write_(text);
  }
  bool open() const { return open_; }

 private:
  Lines lines_;
  bool csv_;
  Writer write_;
  bool open_ = true;
};

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_LINE_SINK_H_
