// One episode pair of a coding audit: the four figures and every difference, classified and explained.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "clincode/audit.h"

namespace clincode {

std::string_view AuditCodeTypeName(AuditCodeType type) {
  switch (type) {
    case AuditCodeType::kPrimaryDiagnosis: return "primary_diagnosis";
    case AuditCodeType::kSecondaryDiagnosis: return "secondary_diagnosis";
    case AuditCodeType::kPrimaryProcedure: return "primary_procedure";
    case AuditCodeType::kSecondaryProcedure: return "secondary_procedure";
  }
  return "";
}

std::string_view AuditCodeTypeTitle(AuditCodeType type) {
  switch (type) {
    case AuditCodeType::kPrimaryDiagnosis: return "Primary diagnosis";
    case AuditCodeType::kSecondaryDiagnosis: return "Secondary diagnoses";
    case AuditCodeType::kPrimaryProcedure: return "Primary procedure";
    case AuditCodeType::kSecondaryProcedure: return "Secondary procedures";
  }
  return "";
}

std::string_view AuditErrorKindName(AuditErrorKind kind) {
  switch (kind) {
    case AuditErrorKind::kWrongCategory: return "wrong_category";
    case AuditErrorKind::kWrongSubdivision: return "wrong_subdivision";
    case AuditErrorKind::kMissing: return "missing";
    case AuditErrorKind::kExtra: return "extra";
    case AuditErrorKind::kSequencing: return "sequencing";
    case AuditErrorKind::kDaggerAsterisk: return "dagger_asterisk";
    case AuditErrorKind::kUnmatchedOriginal: return "unmatched_original";
    case AuditErrorKind::kUnmatchedAudited: return "unmatched_audited";
    case AuditErrorKind::kUnreadable: return "unreadable";
  }
  return "";
}

std::string_view AuditErrorKindTitle(AuditErrorKind kind) {
  switch (kind) {
    case AuditErrorKind::kWrongCategory: return "Wrong category (third character)";
    case AuditErrorKind::kWrongSubdivision: return "Wrong subdivision (fourth or fifth character)";
    case AuditErrorKind::kMissing: return "Missing code";
    case AuditErrorKind::kExtra: return "Code added";
    case AuditErrorKind::kSequencing: return "Sequencing (right code, wrong place)";
    case AuditErrorKind::kDaggerAsterisk: return "Dagger and asterisk pairing";
    case AuditErrorKind::kUnmatchedOriginal: return "Only in the original file";
    case AuditErrorKind::kUnmatchedAudited: return "Only in the audited file";
    case AuditErrorKind::kUnreadable: return "Row not read";
  }
  return "";
}

bool IsCodeError(AuditErrorKind kind) { return kind <= AuditErrorKind::kDaggerAsterisk; }

double AuditFigure::Percent() const {
  if (total == 0) return 100.0;
  return std::round(10000.0 * static_cast<double>(correct) / static_cast<double>(total)) / 100.0;
}

bool AuditFigure::Meets(double percent) const {
  return static_cast<double>(correct) * 100.0 >= percent * static_cast<double>(total);
}

void AuditFigures::Add(const AuditFigures& other, int sign) {
  // Unsigned arithmetic wraps, so taking away what was added gives back the counts exactly.
  const auto d = [sign](std::size_t n) { return sign >= 0 ? n : std::size_t{0} - n; };
  episodes += d(other.episodes);
  for (std::size_t t = 0; t < by_type.size(); ++t) {
    by_type[t].correct += d(other.by_type[t].correct);
    by_type[t].total += d(other.by_type[t].total);
    for (std::size_t k = 0; k < kCodeErrorKinds; ++k) by_type[t].errors[k] += d(other.by_type[t].errors[k]);
  }
}

namespace {

// What the comparison needs of a list of one system: each code as compared (canonical, or as written when
// it is not a code of the system), and whether it is a dagger or an asterisk code.
struct Coded {
  std::string_view key;
  const EpisodeCode* code;
  std::size_t index;  // 0-based place in its list
  DaggerAsterisk usage;
};

std::string_view Category(std::string_view key) { return key.substr(0, std::min<std::size_t>(3, key.size())); }

// A code as compared: canonical, or as written when it is not a code of the system.
std::string_view KeyOf(const EpisodeCode& c) { return c.code.empty() ? std::string_view(c.written) : c.code; }

// The comparison of one pair: the releases in force, and where the errors go.
class PairAudit {
 public:
  PairAudit(const Episode& original, const Episode& audited, const Validator* validator, std::vector<AuditError>* out,
            AuditFigures* figures)
      : original_(original), audited_(audited), validator_(validator), out_(out), figures_(figures) {
    if (validator_ != nullptr) releases_ = RuleSet::InForce(validator_->catalog(), original.start_date);
  }

  void Run() {
    const std::size_t first = out_->size();
    Compare(CodeSystem::kIcd10, original_.diagnoses, audited_.diagnoses);
    Compare(CodeSystem::kOpcs4, original_.procedures, audited_.procedures);
    ++figures_->episodes;
    if (out_->size() > first && validator_ != nullptr) Explain(first);
  }

 private:
  std::vector<Coded> Read(CodeSystem system, const std::vector<EpisodeCode>& codes) const {
    std::vector<Coded> out;
    const Release* release = system == CodeSystem::kIcd10 ? releases_.icd10 : nullptr;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      const EpisodeCode& c = codes[i];
      DaggerAsterisk usage = c.mark;
      if (usage == DaggerAsterisk::kNone && release != nullptr && !c.code.empty()) {
        std::uint32_t e = release->Find(c.code);
        if (e != Release::kNone) usage = release->at(e).flags.usage;
      }
      out.push_back({KeyOf(c), &c, i, usage});
    }
    return out;
  }

  void Emit(AuditErrorKind kind, AuditCodeType type, CodeSystem system, const Coded* original, const Coded* audited) {
    AuditError e;
    e.episode_id = audited_.id.empty() ? original_.id : audited_.id;
    e.kind = kind;
    e.type = type;
    e.line = original_.line;
    e.audited_line = audited_.line;
    if (original != nullptr) {
      e.original_position = HesPosition(system, original->index);
      e.original_code = original->code->written;
      e.original_title = Title(system, original->code->code);
    }
    if (audited != nullptr) {
      e.audited_position = HesPosition(system, audited->index);
      e.audited_code = audited->code->written;
      e.audited_title = Title(system, audited->code->code);
    }
    ++figures_->of(type).errors[static_cast<std::size_t>(kind)];
    out_->push_back(std::move(e));
  }

  std::string Title(CodeSystem system, const std::string& code) const {
    const Release* r = system == CodeSystem::kOpcs4 ? releases_.opcs4 : releases_.icd10;
    if (r == nullptr || code.empty()) return {};
    std::uint32_t e = r->Find(code);
    return e == Release::kNone ? std::string() : r->at(e).title;
  }

  static bool Same(const std::vector<EpisodeCode>& o, const std::vector<EpisodeCode>& a) {
    if (o.size() != a.size()) return false;
    for (std::size_t i = 0; i < o.size(); ++i) {
      if (KeyOf(o[i]) != KeyOf(a[i])) return false;
    }
    return true;
  }

  static bool Contains(const std::vector<Coded>& list, std::size_t from, std::string_view key) {
    for (std::size_t i = from; i < list.size(); ++i) {
      if (list[i].key == key) return true;
    }
    return false;
  }

  // Whether a and b are the two halves of one dagger and asterisk pair.
  static bool Paired(const Coded& a, const Coded& b) {
    return (a.usage == DaggerAsterisk::kDagger && b.usage == DaggerAsterisk::kAsterisk) ||
           (a.usage == DaggerAsterisk::kAsterisk && b.usage == DaggerAsterisk::kDagger);
  }

  void Compare(CodeSystem system, const std::vector<EpisodeCode>& original, const std::vector<EpisodeCode>& audited) {
    if (Same(original, audited)) {
      // Coded alike, as most pairs are: every code right, nothing to classify.
      const bool diagnosis = system == CodeSystem::kIcd10;
      AuditFigure& primary =
          figures_->of(diagnosis ? AuditCodeType::kPrimaryDiagnosis : AuditCodeType::kPrimaryProcedure);
      AuditFigure& later =
          figures_->of(diagnosis ? AuditCodeType::kSecondaryDiagnosis : AuditCodeType::kSecondaryProcedure);
      if (diagnosis || !audited.empty()) ++primary.total, ++primary.correct;
      if (audited.size() > 1) later.total += audited.size() - 1, later.correct += audited.size() - 1;
      return;
    }
    const std::vector<Coded> o = Read(system, original), a = Read(system, audited);
    ComparePrimary(system, o, a);
    CompareSecondary(system, o, a);
  }

  void ComparePrimary(CodeSystem system, const std::vector<Coded>& o, const std::vector<Coded>& a) {
    const bool diagnosis = system == CodeSystem::kIcd10;
    const AuditCodeType type = diagnosis ? AuditCodeType::kPrimaryDiagnosis : AuditCodeType::kPrimaryProcedure;
    AuditFigure& f = figures_->of(type);
    // Every episode audited counts for the primary diagnosis; the primary procedure counts where the
    // auditor recorded a procedure.
    if (diagnosis || !a.empty()) ++f.total;
    if (o.empty() && a.empty()) {
      if (diagnosis) ++f.correct;
      return;
    }
    if (!o.empty() && !a.empty() && o[0].key == a[0].key) {
      ++f.correct;
      return;
    }
    if (a.empty()) return Emit(AuditErrorKind::kExtra, type, system, &o[0], nullptr);
    if (o.empty()) return Emit(AuditErrorKind::kMissing, type, system, nullptr, &a[0]);
    AuditErrorKind kind;
    if (Contains(o, 1, a[0].key) || Contains(a, 1, o[0].key)) {
      // The right code elsewhere in the coder's list, or the coder's first code one the auditor has later.
      kind = o[0].usage == DaggerAsterisk::kAsterisk || Paired(o[0], a[0]) ? AuditErrorKind::kDaggerAsterisk
                                                                           : AuditErrorKind::kSequencing;
    } else {
      kind =
          Category(o[0].key) == Category(a[0].key) ? AuditErrorKind::kWrongSubdivision : AuditErrorKind::kWrongCategory;
    }
    Emit(kind, type, system, &o[0], &a[0]);
  }

  void CompareSecondary(CodeSystem system, const std::vector<Coded>& o, const std::vector<Coded>& a);

  // Attaches to each error a rule that fires on the original coding where it is: at the original's
  // position, else a finding that names the auditor's code or its category.
  void Explain(std::size_t first) {
    std::vector<Finding> findings;
    validator_->Check(original_, &findings);
    if (findings.empty()) return;
    for (std::size_t i = first; i < out_->size(); ++i) {
      AuditError& e = (*out_)[i];
      const Finding* chosen = nullptr;
      for (const Finding& f : findings) {
        if (!e.original_position.empty() && f.position == e.original_position) {
          chosen = &f;
          break;
        }
      }
      const std::string_view wanted = Category(e.audited_code);
      for (const Finding& f : findings) {
        if (chosen != nullptr || wanted.size() < 3) break;
        if (f.message.find(wanted) != std::string::npos || f.fix.find(wanted) != std::string::npos) chosen = &f;
      }
      if (chosen != nullptr) {
        e.rule_id = chosen->rule_id;
        e.standard = chosen->standard;
      }
    }
  }

  const Episode& original_;
  const Episode& audited_;
  const Validator* validator_;
  std::vector<AuditError>* out_;
  AuditFigures* figures_;
  RuleSet::Releases releases_;
};

void PairAudit::CompareSecondary(CodeSystem system, const std::vector<Coded>& o, const std::vector<Coded>& a) {
  const AuditCodeType type =
      system == CodeSystem::kIcd10 ? AuditCodeType::kSecondaryDiagnosis : AuditCodeType::kSecondaryProcedure;
  AuditFigure& f = figures_->of(type);
  // The auditor's later codes the coder also has as later codes, as multisets: each of the coder's codes
  // answers one of the auditor's.
  std::vector<bool> used(o.size(), false);  // coder's codes matched or paired (index 0 never)
  std::vector<std::size_t> unmatched;       // the auditor's unmatched later codes
  for (std::size_t i = 1; i < a.size(); ++i) {
    ++f.total;
    bool found = false;
    for (std::size_t j = 1; j < o.size() && !found; ++j) {
      if (!used[j] && o[j].key == a[i].key) used[j] = found = true;
    }
    if (found)
      ++f.correct;
    else
      unmatched.push_back(i);
  }
  auto take = [&](auto fits) -> const Coded* {
    for (std::size_t j = 1; j < o.size(); ++j) {
      if (!used[j] && fits(o[j])) {
        used[j] = true;
        return &o[j];
      }
    }
    return nullptr;
  };
  std::vector<std::size_t> pending;
  for (std::size_t i : unmatched) {
    const Coded& want = a[i];
    if (!o.empty() && o[0].key == want.key && a[0].key != o[0].key) {
      Emit(o[0].usage == DaggerAsterisk::kAsterisk ? AuditErrorKind::kDaggerAsterisk : AuditErrorKind::kSequencing,
           type, system, &o[0], &want);
    } else if (const Coded* near = take([&](const Coded& c) { return Category(c.key) == Category(want.key); })) {
      Emit(AuditErrorKind::kWrongSubdivision, type, system, near, &want);
    } else {
      pending.push_back(i);
    }
  }
  for (std::size_t i : pending) {
    const Coded& want = a[i];
    // Another category in the same place is a wrong code; otherwise the code is missing, unless the coder
    // recorded the other half of its dagger and asterisk pair.
    if (i < o.size() && !used[i]) {
      used[i] = true;
      Emit(AuditErrorKind::kWrongCategory, type, system, &o[i], &want);
      continue;
    }
    bool half = false;
    for (std::size_t k : {i - 1, i + 1}) {
      if (k < a.size() && Paired(a[k], want) && Contains(o, 0, a[k].key)) half = true;
    }
    Emit(half ? AuditErrorKind::kDaggerAsterisk : AuditErrorKind::kMissing, type, system, nullptr, &want);
  }
  for (std::size_t j = 1; j < o.size(); ++j) {
    // The auditor's first code recorded later by the coder is the primary's sequencing error, said once.
    const bool primary_elsewhere = !a.empty() && a[0].key == o[j].key && o[0].key != a[0].key;
    if (!used[j] && !primary_elsewhere) Emit(AuditErrorKind::kExtra, type, system, &o[j], nullptr);
  }
  // A pair the auditor recorded (dagger, then its asterisk), both halves of which the coder has where
  // they count, but not together in that order.
  auto matched = [&](std::size_t i) {
    return i == 0 ? (!o.empty() && o[0].key == a[0].key)
                  : std::find(unmatched.begin(), unmatched.end(), i) == unmatched.end();
  };
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    if (a[i].usage != DaggerAsterisk::kDagger || a[i + 1].usage != DaggerAsterisk::kAsterisk) continue;
    if (!matched(i) || !matched(i + 1)) continue;
    std::size_t d = o.size(), s = o.size();
    for (std::size_t j = 0; j < o.size(); ++j) {
      if (d == o.size() && o[j].key == a[i].key) d = j;
      if (s == o.size() && o[j].key == a[i + 1].key) s = j;
    }
    if (d < o.size() && s < o.size() && s != d + 1)
      Emit(AuditErrorKind::kDaggerAsterisk, type, system, &o[s], &a[i + 1]);
  }
}

}  // namespace

void AuditEpisodePair(const Episode& original, const Episode& audited, const Validator* validator,
                      std::vector<AuditError>* errors, AuditFigures* figures) {
  PairAudit(original, audited, validator, errors, figures).Run();
}

}  // namespace clincode
