#include "guidance/cpt_page.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "guidance/code_line.h"
#include "guidance/lexicon.h"
#include "util/text.h"

namespace clincode::guidance {
namespace {

// The page's text without boilerplate, as one string.
std::string Body(const std::vector<LogicalLine>& lines) {
  std::string body;
  for (const auto& l : lines) {
    if (GetLexicon().IsBoilerplate(l.text)) continue;
    body += (body.empty() ? "" : " ") + l.text;
  }
  return body;
}

// The subject: the code right after "CPT® Code".
std::string Subject(const std::string& body) {
  std::string lower = Lower(body);
  for (const auto& phrase : GetLexicon().cpt_subject) {
    std::size_t at = lower.find(phrase);
    if (at == std::string::npos) continue;
    auto tokens = FindCodeTokens(std::string_view(body).substr(at + phrase.size(), 12), CodeSystem::kCpt);
    if (!tokens.empty()) return tokens.front().pattern;
  }
  return {};
}

// "which covers the insertion ..., including both ..." -> "the insertion ..., including both ...".
std::string Clause(std::string_view s) {
  s = text::Trim(s);
  static constexpr std::string_view kLeads[] = {",",
                                                "which",
                                                "is",
                                                "refers to the procedure involving",
                                                "refers to",
                                                "covers",
                                                "pertains solely to",
                                                "pertains to",
                                                "is specific to",
                                                "specific to",
                                                "is dedicated to",
                                                "dedicated to"};
  for (bool again = true; again;) {
    again = false;
    for (std::string_view lead : kLeads) {
      if (text::StartsWithIgnoreCase(s, lead) && (s.size() == lead.size() || !text::IsAlnum(s[lead.size()]))) {
        s = text::Trim(s.substr(lead.size()));
        again = true;
      }
    }
  }
  // Trailing joins of the next clause: "..., and", "..., while".
  for (bool again = true; again;) {
    again = false;
    s = text::Trim(s);
    while (!s.empty() && (s.back() == '.' || s.back() == ',')) s.remove_suffix(1), again = true;
    for (std::string_view tail : {" and", " while", " whereas", " but"}) {
      if (s.size() > tail.size() && text::EqualsIgnoreCase(s.substr(s.size() - tail.size()), tail)) {
        s.remove_suffix(tail.size());
        again = true;
      }
    }
  }
  return std::string(s);
}

}  // namespace

bool IsCptPage(const std::vector<LogicalLine>& lines) {
  const Lexicon& lx = GetLexicon();
  bool subject = false;
  for (const auto& l : lines) {
    std::string lower = Lower(l.text);
    for (const auto& h : lx.classification_headings) {
      if (StartsWithAny(lower, h.starts)) return false;
    }
    for (const auto& id : lx.guidance_ids) {
      if (text::StartsWithIgnoreCase(l.text, id) && l.text.size() > id.size() && text::IsDigit(l.text[id.size()])) {
        return false;
      }
    }
    subject = subject || ContainsAny(lower, lx.cpt_subject);
  }
  return subject;
}

Result<Recommendation> ReadCptPage(const std::vector<LogicalLine>& lines, const ReadOptions& options) {
  const Lexicon& lx = GetLexicon();
  std::string body = Body(lines);
  std::string subject = Subject(body);
  auto tokens = FindCodeTokens(body, CodeSystem::kCpt);
  if (subject.empty() || tokens.empty()) {
    return InvalidArgument(
        fmt::format("{}: a CPT page must name its code (\"The CPT® Code 0411T ...\")", options.source));
  }
  // Each mention of a code is described by the text up to the next code or the end of its sentence.
  std::map<std::string, std::vector<std::string>> clauses;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    std::size_t end = k + 1 < tokens.size() ? tokens[k + 1].begin : body.size();
    std::string_view rest = std::string_view(body).substr(tokens[k].end, end - tokens[k].end);
    std::size_t stop = rest.find(". ");
    std::string clause = Clause(rest.substr(0, stop));
    if (!clause.empty()) clauses[tokens[k].pattern].push_back(clause);
  }
  Recommendation rec;
  rec.id = "CPT-" + subject;
  rec.source = options.source;
  Section section;
  section.classification = CodeSystem::kCpt;
  std::vector<std::string> wholes, parts;
  for (const auto& [code, list] : clauses) {
    // The clause that says what the code covers: one naming the whole or a part, else the first.
    const std::string* best = &list.front();
    bool whole = false;
    for (const auto& c : list) {
      std::string lower = Lower(c);
      if (ContainsAny(lower, lx.cpt_whole)) whole = true;
      if (ContainsAny(lower, lx.cpt_whole) || ContainsAny(lower, lx.cpt_part)) {
        best = &c;
        break;
      }
    }
    (whole ? wholes : parts).push_back(code);
    section.cpt_codes.push_back({code, *best, {}, {}});
  }
  for (CptCode& c : section.cpt_codes) {
    if (std::find(wholes.begin(), wholes.end(), c.code) == wholes.end()) continue;
    c.components = parts;
    c.not_reported_with = parts;
  }
  std::string first = clauses.count(subject) ? clauses[subject].front() : std::string();
  rec.title = fmt::format("CPT {}: {}", subject, first.substr(0, first.find(',')));
  rec.sections.push_back(std::move(section));
  return rec;
}

}  // namespace clincode::guidance
