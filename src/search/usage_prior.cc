#include "search/usage_prior.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "search/built_in.h"
#include "util/text.h"

namespace clincode::search {

Result<UsagePrior> UsagePrior::Parse(std::string_view tsv, std::string_view source) {
  UsagePrior p;
  std::size_t line_no = 0;
  for (std::string_view line : text::Split(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    auto f = text::Split(line, '\t');
    if (f.size() != 3) {
      return InvalidArgument(fmt::format("{}:{}: expected system, code and count, got \"{}\"", source, line_no, line));
    }
    CodeSystem system;
    if (f[0] == "icd10") {
      system = CodeSystem::kIcd10;
    } else if (f[0] == "opcs4") {
      system = CodeSystem::kOpcs4;
    } else {
      return InvalidArgument(fmt::format("{}:{}: unknown system \"{}\"", source, line_no, f[0]));
    }
    std::uint64_t count = 0;
    auto [end, ec] = std::from_chars(f[2].data(), f[2].data() + f[2].size(), count);
    if (ec != std::errc() || end != f[2].data() + f[2].size() || f[1].empty()) {
      return InvalidArgument(fmt::format("{}:{}: bad code or count \"{}\"", source, line_no, line));
    }
    p.rows_.push_back({system, std::string(f[1]), count});
  }
  std::sort(p.rows_.begin(), p.rows_.end(),
            [](const Row& a, const Row& b) { return a.system != b.system ? a.system < b.system : a.code < b.code; });
  p.running_.assign(1, 0);
  for (const Row& r : p.rows_) p.running_.push_back(p.running_.back() + r.count);
  return p;
}

const UsagePrior& UsagePrior::BuiltIn() {
  static const UsagePrior prior = ParseBuiltIn<UsagePrior>("knowledge/search/hes_usage.tsv", &UsagePrior::Parse);
  return prior;
}

std::uint64_t UsagePrior::Count(CodeSystem system, std::string_view code) const {
  if (system != CodeSystem::kIcd10 && system != CodeSystem::kOpcs4) return 0;
  // CDS form of the prefix: no dot, at most four characters (HES counts four; a fifth ICD-10 character
  // shares its four-character count).
  std::string key;
  for (char c : code) {
    if (c == '.') continue;
    if (!text::IsAlnum(c) || key.size() == 4) break;
    key.push_back(text::ToUpper(c));
  }
  if (key.size() < 3) return 0;
  auto less = [](const Row& r, const std::pair<CodeSystem, std::string_view>& k) {
    return r.system != k.first ? r.system < k.first : std::string_view(r.code) < k.second;
  };
  auto lo = std::lower_bound(rows_.begin(), rows_.end(), std::pair<CodeSystem, std::string_view>(system, key), less);
  auto hi = lo;
  while (hi != rows_.end() && hi->system == system && hi->code.compare(0, key.size(), key) == 0) ++hi;
  return running_[static_cast<std::size_t>(hi - rows_.begin())] -
         running_[static_cast<std::size_t>(lo - rows_.begin())];
}

}  // namespace clincode::search
