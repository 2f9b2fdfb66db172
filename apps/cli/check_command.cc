// `clincode check`: one episode at the desk.
#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "clincode/validator.h"
#include "commands.h"
#include "findings_json.h"
#include "json_output.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares
namespace {

struct CheckArgs {
  std::string proc, diag, id = "desk", date;
  int sex = 0, age = -1;
};

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) {
    for (std::size_t pos; (pos = w.find(',')) != std::string::npos;) w[pos] = ' ';
    std::istringstream again(w);
    for (std::string x; again >> x;) out.push_back(x);
  }
  return out;
}

}  // namespace

std::shared_ptr<const RuleSet> LoadRules(const GlobalFlags& flags) {
  RuleSetOptions options;
  options.dirs = flags.rules_dirs;
  auto rules = RuleSet::Load(options);
  if (!rules.ok()) {
    PrintError(flags, rules.status().message());
    return nullptr;
  }
  return *rules;
}

std::shared_ptr<const Validator> LoadValidator(const GlobalFlags& flags) {
  auto catalog = LoadCatalog(flags);
  auto guidance = LoadGuidance(flags);
  auto rules = catalog && guidance ? LoadRules(flags) : nullptr;
  if (!rules) return nullptr;
  return std::make_shared<const Validator>(catalog, rules, guidance);
}

std::function<int(const GlobalFlags&)> SetupCheck(CLI::App* cmd) {
  auto args = std::make_shared<CheckArgs>();
  cmd->add_option("--proc", args->proc, "OPCS-4 codes in order, main first: \"V44.4 Y53.4 V55.1\"");
  cmd->add_option("--diag", args->diag, "ICD-10 codes in order, primary first: \"M80.0\"");
  cmd->add_option("--sex", args->sex, "1 male, 2 female, 0 not known, 9 not specified")
      ->check(CLI::IsMember({0, 1, 2, 9}));
  cmd->add_option("--age", args->age, "Age in years")->check(CLI::Range(0, 130));
  cmd->add_option("--date", args->date, "Episode start date, YYYY-MM-DD (chooses the OPCS-4 release in force)");
  cmd->add_option("--id", args->id, "Episode id for the findings")->capture_default_str();
  return [args](const GlobalFlags& flags) {
    Episode ep;
    ep.id = args->id;
    ep.sex = args->sex;
    ep.age = args->age;
    // A date that is not one is a finding on EPISTART, as in a file.
    (IsEpisodeDate(args->date) ? ep.start_date : ep.invalid_start_date) = args->date;
    SetProcedures(Words(args->proc), &ep);
    SetDiagnoses(Words(args->diag), &ep);
    if (ep.procedures.empty() && ep.diagnoses.empty()) {
      PrintError(flags,
                 "check needs codes: --proc \"K57.8 Y02.1\" and/or --diag \"I50.9\" (see: clincode check --help)");
      return kExitUsage;
    }
    auto validator = LoadValidator(flags);
    if (!validator) return kExitFailure;
    std::vector<Finding> findings;
    validator->Check(ep, &findings);
    std::size_t ran = 0;
    for (const auto& c : validator->coverage()) ran += c.runs ? 1 : 0;
    if (flags.json) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& f : findings) list.push_back(FindingJson(f));
      nlohmann::json not_run = nlohmann::json::object();
      for (const auto& c : validator->coverage()) {
        if (!c.runs) not_run[c.rule->id] = c.why_not;
      }
      std::cout << shapes::Dump(
                       nlohmann::json{
                           {"findings", list}, {"notices", validator->notices()}, {"rules_not_run", not_run}},
                       2)
                << "\n";
      return kExitOk;
    }
    for (const auto& n : validator->notices()) fmt::print("note: {}\n", n);
    if (findings.empty()) {
      fmt::print("no findings: the episode follows every rule checked ({} of {} rules ran)\n", ran,
                 validator->rules().rules().size());
    }
    for (const auto& f : findings) {
      fmt::print("{:<8} {:<38} {:<10} {}\n", SeverityName(f.severity), f.rule_id, f.position, f.message);
      fmt::print("{:<8} {:<38} {:<10} fix: {}\n", "", "", "", f.fix);
    }
    return kExitOk;
  };
}

}  // namespace clincode::cli
