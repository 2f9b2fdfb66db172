#include "coding/diagnosis_titles.h"

#include <algorithm>
#include <cctype>

namespace clincode::coding {
namespace {

// The title without its (parenthesised) and [bracketed] parts, and the bracketed parts joined.
void Split(std::string_view title, std::string* plain, std::string* bracketed) {
  int paren = 0, bracket = 0;
  for (char c : title) {
    if (c == '(')
      ++paren;
    else if (c == ')')
      paren = paren > 0 ? paren - 1 : 0;
    else if (c == '[')
      ++bracket;
    else if (c == ']') {
      bracket = bracket > 0 ? bracket - 1 : 0;
      bracketed->push_back(' ');
    } else if (bracket > 0)
      bracketed->push_back(c);
    else if (paren == 0)
      plain->push_back(c);
  }
}

}  // namespace

bool ResidualTitle(std::string_view title, const NoteLexicon& lx) {
  std::string word;
  auto is_residual = [&] {
    return std::find(lx.residual_title_words.begin(), lx.residual_title_words.end(), word) !=
           lx.residual_title_words.end();
  };
  for (char c : title) {
    if (std::isalpha(static_cast<unsigned char>(c))) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      continue;
    }
    if (is_residual()) return true;
    word.clear();
  }
  return is_residual();
}

DiagnosisTitles::DiagnosisTitles(const Release& release, const NoteLexicon& lx) : release_(&release) {
  titles_.resize(release.size());
  auto content = [&](std::string_view text) {
    Words out;
    for (auto& w : lx.normaliser->ContentWords(text)) {
      if (std::find(lx.diagnosis_implied_words.begin(), lx.diagnosis_implied_words.end(), w) ==
          lx.diagnosis_implied_words.end())
        out.push_back(std::move(w));
    }
    return out;
  };
  for (std::uint32_t id = 0; id < release.size(); ++id) {
    const CodeEntry& e = release.at(id);
    if (!e.flags.selectable || e.flags.retired) continue;
    if (std::any_of(lx.not_read_codes.begin(), lx.not_read_codes.end(),
                    [&](const CodePattern& p) { return p.Matches(e.code); }))
      continue;
    std::string plain, bracketed;
    Split(e.title, &plain, &bracketed);
    Title& t = titles_[id];
    t.essential = content(plain);
    t.alternative = content(bracketed);
    if (ResidualTitle(e.title, lx) && t.essential.size() + t.alternative.size() < 2) {
      t = Title{};
      continue;
    }
    if (!t.essential.empty()) needing_[t.essential.front()].push_back(id);
    if (!t.alternative.empty()) needing_[t.alternative.front()].push_back(id);
  }
}

std::vector<std::uint32_t> DiagnosisTitles::CoveredBy(const std::unordered_set<std::string>& words) const {
  auto covered = [&](const Words& need) {
    return !need.empty() &&
           std::all_of(need.begin(), need.end(), [&](const std::string& w) { return words.count(w) > 0; });
  };
  std::vector<std::uint32_t> out;
  for (const auto& w : words) {
    auto it = needing_.find(w);
    if (it == needing_.end()) continue;
    for (std::uint32_t id : it->second) {
      if (covered(titles_[id].essential) || covered(titles_[id].alternative)) out.push_back(id);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace clincode::coding
