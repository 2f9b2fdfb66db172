#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "coding/composer.h"

namespace clincode::coding {
namespace {

// A generic part ("lead") is satisfied by any part that names it as its last word ("atrial_lead").
bool Satisfies(const std::string& done, const std::string& needed) {
  if (done == needed) return true;
  return done.size() > needed.size() && done.compare(done.size() - needed.size(), needed.size(), needed) == 0 &&
         done[done.size() - needed.size() - 1] == '_';
}

// The parts a code's summary names ("pulse generator with transvenous electrodes": generator, lead).
std::set<std::string> PartsOf(const NoteLexicon& lx, const std::string& summary) {
  std::set<std::string> parts;
  auto tokens = lx.normaliser->Tokenize(summary);
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t best_end = i;
    const std::string* best = nullptr;
    for (const auto& p : lx.cpt_parts) {
      auto m = p.phrases.LongestAt(tokens, i);
      if (m.value >= 0 && m.end > best_end) {
        best_end = m.end;
        best = &p.part;
      }
    }
    if (best != nullptr) {
      parts.insert(*best);
      i = best_end;
    } else {
      ++i;
    }
  }
  return parts;
}

}  // namespace

void ComposeCpt(const ComposeContext& c, const Section& section, Composition* out) {
  const NoteLexicon& lx = *c.lexicon;
  // The parts the note says were placed, most specific first; a generic lead only when no chamber is named.
  std::vector<std::string> done;
  std::string evidence;
  for (const auto& p : lx.cpt_parts) {
    const Fact* f = c.facts->Get(p.part);
    if (f == nullptr || c.facts->Holds(p.part) != Truth::kYes) continue;
    bool generic_covered =
        std::any_of(done.begin(), done.end(), [&](const std::string& d) { return Satisfies(d, p.part); });
    if (generic_covered) continue;
    done.push_back(p.part);
    if (!f->evidence.empty()) evidence += (evidence.empty() ? "" : ", ") + f->evidence;
  }
  if (done.empty()) {
    out->questions.push_back(
        {"the note does not say which parts were placed (pulse generator, atrial or ventricular "
         "lead); state them",
         {"generator=yes", "atrial_lead=yes", "ventricular_lead=yes"}});
    return;
  }
  struct Code {
    const CptCode* code;
    std::set<std::string> parts;
  };
  std::vector<Code> codes;
  for (const auto& code : section.cpt_codes) codes.push_back({&code, PartsOf(lx, code.summary)});
  // Codes naming more parts first: a whole system is reported instead of its parts.
  std::stable_sort(codes.begin(), codes.end(),
                   [](const Code& a, const Code& b) { return a.parts.size() > b.parts.size(); });
  std::vector<std::string> remaining = done;
  std::set<std::string> excluded;
  for (const Code& code : codes) {
    if (code.parts.empty() || excluded.count(code.code->code) > 0) continue;
    bool fits = std::all_of(code.parts.begin(), code.parts.end(), [&](const std::string& need) {
      return std::any_of(done.begin(), done.end(), [&](const std::string& d) { return Satisfies(d, need); });
    });
    auto covers = [&](const std::string& d) {
      return std::any_of(code.parts.begin(), code.parts.end(),
                         [&](const std::string& need) { return Satisfies(d, need); });
    };
    if (!fits || std::none_of(remaining.begin(), remaining.end(), covers)) continue;
    std::erase_if(remaining, covers);
    std::string title;
    if (c.cpt != nullptr) {
      std::uint32_t id = c.cpt->Find(code.code->code);
      if (id != Release::kNone) title = c.cpt->at(id).title;
    }
    if (title.empty()) title = code.code->summary;
    std::string parts;
    for (const auto& p : code.parts) parts += (parts.empty() ? "" : ", ") + p;
    out->procedures.push_back({code.code->code, title, code.parts.size() > 1 ? "whole system" : "part",
                               fmt::format("{}: the note says {} placed ({})", c.recommendation->id, parts,
                                           code.parts.size() > 1 ? "the whole system" : "this part only"),
                               evidence});
    // Its components are never reported with it: say so for each part the note names.
    std::vector<std::string> named;
    for (const auto& component : code.code->components) {
      excluded.insert(component);
      for (const auto& other : codes) {
        if (other.code->code != component) continue;
        bool placed = std::any_of(other.parts.begin(), other.parts.end(), [&](const std::string& need) {
          return std::any_of(done.begin(), done.end(), [&](const std::string& d) { return Satisfies(d, need); });
        });
        if (placed) named.push_back(component);
      }
    }
    for (const auto& n : code.code->not_reported_with) excluded.insert(n);
    if (!named.empty()) {
      std::string list;
      for (const auto& n : named) list += (list.empty() ? "" : ", ") + n;
      out->assumptions.push_back(fmt::format("{} includes {}: report {} alone, never with {} (the parts are included)",
                                             code.code->code, list, code.code->code, list));
    }
  }
  for (const auto& r : remaining) {
    out->questions.push_back(
        {fmt::format("no code of {} covers the {} alone; say which chamber or part it is", c.recommendation->id, r),
         {}});
  }
}

}  // namespace clincode::coding
