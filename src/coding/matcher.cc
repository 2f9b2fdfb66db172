#include "clincode/matcher.h"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "coding/episode_stream.h"
#include "coding/group_patterns.h"
#include "coding/match_grade.h"

namespace clincode {
namespace {

using coding::AnyMatches;
using coding::CompilePatterns;

std::string Describe(const Group& g) {
  if (!g.placeholder.empty()) return g.family.empty() ? g.placeholder : g.family;
  std::string out;
  for (const auto& a : g.any_of) out += (out.empty() ? "" : " or ") + a;
  return out;
}

}  // namespace

std::string_view MatchLevelName(MatchLevel level) {
  switch (level) {
    case MatchLevel::kFull: return "full";
    case MatchLevel::kPartial: return "partial";
    case MatchLevel::kNone: break;
  }
  return "none";
}

Result<std::shared_ptr<const GuidanceMatcher>> GuidanceMatcher::Create(std::shared_ptr<const GuidanceLibrary> library,
                                                                       const RuleSet* rules,
                                                                       const std::vector<std::string>& only) {
  std::shared_ptr<GuidanceMatcher> m(new GuidanceMatcher());
  m->library_ = library;
  if (rules != nullptr) {
    for (const Rule& r : rules->rules()) {
      if (r.check == CheckKind::kGuidanceRequiredGroup && r.except) {
        m->site_except_ = r.except;
        break;
      }
    }
  }
  std::vector<const Recommendation*> chosen;
  for (const auto& id : only) {
    const Recommendation* rec = library->Find(id);
    if (rec == nullptr)
      return NotFound(fmt::format("no recommendation \"{}\" in the library (see: clincode guidance list)", id));
    const Section* opcs = rec->SectionFor(CodeSystem::kOpcs4);
    bool has_main = false;
    if (opcs != nullptr) {
      for (const auto& way : coding::WaysOfCoding(*opcs)) {
        has_main = has_main || (!way.groups.empty() && way.groups.front()->role == GroupRole::kMain);
      }
    }
    if (!has_main) return InvalidArgument(fmt::format("{} has no OPCS-4 main procedure to match episodes by", rec->id));
    chosen.push_back(rec);
  }
  if (only.empty()) {
    for (const auto& rec : library->all()) chosen.push_back(&rec);
  }
  for (const Recommendation* rec : chosen) {
    const Section* opcs = rec->SectionFor(CodeSystem::kOpcs4);
    if (opcs == nullptr) continue;
    bool any_way = false;
    for (const coding::WayOfCoding& way : coding::WaysOfCoding(*opcs)) {
      if (way.groups.empty() || way.groups.front()->role != GroupRole::kMain) continue;
      Compiled c{rec,
                 std::make_shared<coding::MatchGrader>(*rec, way.groups, *library),
                 CompilePatterns(CodeSystem::kOpcs4, way.groups.front()->any_of),
                 {}};
      for (std::size_t i = 1; i < way.groups.size(); ++i) {
        const Group& g = *way.groups[i];
        if (!g.required) continue;
        std::vector<CodePattern> any = CompilePatterns(CodeSystem::kOpcs4, g.any_of);
        bool placeholder = any.empty() && !g.family.empty();
        if (placeholder) any = CompilePatterns(CodeSystem::kOpcs4, {g.family});
        if (!any.empty()) c.required.push_back({Describe(g), false, placeholder, std::move(any)});
      }
      if (const Section* icd = rec->SectionFor(CodeSystem::kIcd10)) {
        for (const Group& g : icd->groups) {
          if (g.required)
            c.required.push_back({"ICD-10 " + Describe(g), true, false, CompilePatterns(CodeSystem::kIcd10, g.any_of)});
        }
      }
      m->compiled_.push_back(std::move(c));
      any_way = true;
    }
    if (any_way) m->order_.push_back(rec);
  }
  return std::shared_ptr<const GuidanceMatcher>(std::move(m));
}

void GuidanceMatcher::Match(const Episode& episode, std::vector<GuidanceMatch>* out) const {
  // Ways of coding one recommendation (its scenarios) are adjacent; an episode is matched by the way it
  // meets best: most of its requirements met, then fewest missing.
  std::optional<GuidanceMatch> best;
  auto flush = [&] {
    if (best) out->push_back(std::move(*best));
    best.reset();
  };
  const Recommendation* current = nullptr;
  for (const Compiled& c : compiled_) {
    if (c.recommendation != current) flush();
    current = c.recommendation;
    if (!AnyMatches(c.main, episode.procedures, std::nullopt)) continue;
    GuidanceMatch m{c.recommendation, MatchLevel::kFull, c.grader->Of(episode), c.required.size(), 0, {}};
    for (const Requirement& r : c.required) {
      bool present = r.diagnosis
                         ? AnyMatches(r.any_of, episode.diagnoses, std::nullopt)
                         : AnyMatches(r.any_of, episode.procedures, r.placeholder ? site_except_ : std::nullopt);
      if (present) {
        ++m.met;
      } else {
        m.missing.push_back(r.name);
      }
    }
    m.level = m.met == m.required ? MatchLevel::kFull : m.met > 0 ? MatchLevel::kPartial : MatchLevel::kNone;
    auto rank = [](const GuidanceMatch& x) {
      return std::make_pair(x.level == MatchLevel::kFull, -static_cast<long>(x.missing.size()));
    };
    if (!best || rank(m) > rank(*best)) best = std::move(m);
  }
  flush();
}

namespace {

class MatchBatch : public coding::EpisodeBatch {
 public:
  MatchBatch(const GuidanceMatcher& matcher, const MatchSink* sink) : matcher_(matcher), sink_(sink) {}
  void Add(const Episode& episode) override {
    ++counts.rows_read;
    ++counts.episodes;
    std::vector<GuidanceMatch> matches;
    matcher_.Match(episode, &matches);
    if (matches.empty()) return;
    ++counts.episodes_matched;
    for (const auto& m : matches) {
      MatchCounts& pc = counts.per_guidance[m.recommendation->id];
      ++pc.matched;
      ++(m.level == MatchLevel::kFull ? pc.full : m.level == MatchLevel::kPartial ? pc.partial : pc.none);
      ++(m.grade == MatchGrade::kCertain ? pc.certain : m.grade == MatchGrade::kLikely ? pc.likely : pc.possible);
      for (const auto& g : m.missing) ++pc.missing[g];
    }
    rows.push_back({episode.id, episode.line, "", std::move(matches)});
  }
  void Unreadable(std::size_t line, const std::string& why) override {
    ++counts.rows_read;
    ++counts.rows_unreadable;
    rows.push_back({fmt::format("line {}", line), line, why, {}});
  }
  void Finish() override {
    if (sink_ != nullptr && !rows.empty()) formatted = sink_->Format(rows);
  }

  std::vector<EpisodeMatches> rows;
  std::string formatted;
  MatchSummary counts;

 private:
  const GuidanceMatcher& matcher_;
  const MatchSink* sink_;
};

}  // namespace

Result<MatchSummary> MatchFile(const std::string& path, const GuidanceMatcher& matcher, MatchSink* sink,
                               const ValidateOptions& options) {
  auto started = std::chrono::steady_clock::now();
  MatchSummary summary;
  summary.source = options.source_name.empty() ? path : options.source_name;
  for (const Recommendation* rec : matcher.recommendations()) {
    summary.per_guidance[rec->id];
    summary.titles[rec->id] = rec->title;
  }
  Status s = coding::StreamEpisodes(
      path, options, [&] { return std::make_unique<MatchBatch>(matcher, sink); },
      [&](coding::EpisodeBatch& b) {
        auto& r = static_cast<MatchBatch&>(b);
        if (sink != nullptr && !r.rows.empty()) sink->Write(r.rows, r.formatted);
        summary.rows_read += r.counts.rows_read;
        summary.episodes += r.counts.episodes;
        summary.rows_unreadable += r.counts.rows_unreadable;
        summary.episodes_matched += r.counts.episodes_matched;
        for (const auto& [id, c] : r.counts.per_guidance) {
          MatchCounts& into = summary.per_guidance[id];
          into.matched += c.matched;
          into.full += c.full;
          into.partial += c.partial;
          into.none += c.none;
          into.certain += c.certain;
          into.likely += c.likely;
          into.possible += c.possible;
          for (const auto& [g, n] : c.missing) into.missing[g] += n;
        }
      });
  if (!s.ok()) return s;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

std::string MatchSummaryJson(const MatchSummary& s) {
  nlohmann::json per = nlohmann::json::array();
  for (const auto& [id, c] : s.per_guidance) {
    per.push_back({{"guidance", id},
                   {"title", s.titles.count(id) ? s.titles.at(id) : ""},
                   {"matched", c.matched},
                   {"full", c.full},
                   {"partial", c.partial},
                   {"none", c.none},
                   {"certain", c.certain},
                   {"likely", c.likely},
                   {"possible", c.possible},
                   {"missing", c.missing}});
  }
  nlohmann::json j = {{"source", s.source},
                      {"rows_read", s.rows_read},
                      {"episodes", s.episodes},
                      {"rows_unreadable", s.rows_unreadable},
                      {"episodes_matched", s.episodes_matched},
                      {"seconds", s.seconds},
                      {"guidance", per}};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace clincode
