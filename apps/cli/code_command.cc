// `clincode code`: from an operation note or facts to the ordered, explained code set.
#include <fmt/format.h>

#include <iostream>

#include "clincode/assistant.h"
#include "clincode/guidance_reader.h"
#include "coding_json.h"
#include "commands.h"
#include "json_output.h"
#include "util/file.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares
namespace {

struct CodeArgs {
  std::string guidance, guidance_file, text, text_file, system;
  std::vector<std::string> facts;
};

void PrintItems(std::string_view heading, const std::vector<CodedItem>& items) {
  if (items.empty()) return;
  fmt::print("\n{}\n", heading);
  for (std::size_t i = 0; i < items.size(); ++i) {
    const CodedItem& it = items[i];
    fmt::print("  {:>2}. {:<7} {}\n", i + 1, it.code, it.title);
    fmt::print("      {:<7} why: {}\n", "", it.why);
    if (!it.evidence.empty()) fmt::print("      {:<7} note: \"{}\"\n", "", it.evidence);
  }
}

// How to answer a question on the command line: " (--fact laterality=left|right|bilateral)".
std::string FactHint(const std::vector<std::string>& facts) {
  std::string out;
  for (const auto& f : facts) {
    std::string arg = f;
    if (f.find('=') == std::string::npos) {
      const FactSpec spec = DescribeFact(f);
      switch (spec.kind) {
        case FactValueKind::kYesNo: arg += "=yes"; break;
        case FactValueKind::kCodes: arg += "=CODE"; break;
        case FactValueKind::kNumber: arg += "=N"; break;
        case FactValueKind::kWords: arg += f == "vertebrae" ? "=T12,L1" : "=WORDS"; break;
        case FactValueKind::kChoice: {
          arg += "=";
          for (std::size_t i = 0; i < spec.values.size(); ++i) arg += (i ? "|" : "") + spec.values[i];
          break;
        }
      }
    }
    out += (out.empty() ? " (--fact " : ", --fact ") + arg;
  }
  return out.empty() ? out : out + ")";
}

void PrintResult(const CodingResult& r) {
  fmt::print("{} {}\n  {}\n", r.guidance, r.guidance_title, r.found_by);
  if (r.scenario) {
    fmt::print("  way of coding: \"{}\", because {}\n", r.scenario->label, r.scenario->why);
  }
  PrintItems(r.system == CodeSystem::kCpt ? "CPT" : "OPCS-4", r.procedures);
  PrintItems("ICD-10", r.diagnoses);
  auto list = [](std::string_view heading, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    fmt::print("\n{}\n", heading);
    for (const auto& l : lines) fmt::print("  - {}\n", l);
  };
  if (!r.conditions.empty()) {
    fmt::print("\nConditions\n");
    for (const auto& c : r.conditions) {
      fmt::print("  {:<8} {} ({}){}\n", c.state, c.codes, c.condition,
                 c.evidence.empty() ? "" : ": \"" + c.evidence + "\"");
    }
  }
  list("Assumptions", r.assumptions);
  if (!r.questions.empty()) {
    fmt::print("\nTo finish\n");
    for (const auto& q : r.questions) fmt::print("  - {}{}\n", q.text, FactHint(q.facts));
  }
  if (!r.findings.empty()) {
    fmt::print("\nValidator findings on this code set\n");
    for (const auto& f : r.findings) fmt::print("  {:<8} {:<34} {}\n", SeverityName(f.severity), f.rule_id, f.message);
  } else if (r.system != CodeSystem::kCpt) {
    fmt::print("\nValidator: no findings on this code set\n");
  }
  if (!r.facts.all().empty()) {
    fmt::print("\nFacts\n");
    for (const auto& f : r.facts.all()) {
      fmt::print("  {:<18} {:<24} {}\n", f.key, f.value,
                 f.from_user          ? "(--fact)"
                 : f.evidence.empty() ? ""
                                      : "\"" + f.evidence + "\"");
    }
  }
}

int Run(const GlobalFlags& flags, const CodeArgs& args) {
  CodingRequest request;
  request.text = args.text;
  request.facts = args.facts;
  request.guidance_id = args.guidance;
  if (!args.text_file.empty()) {
    auto content = file::ReadAll(args.text_file);
    if (!content.ok()) {
      PrintError(flags, content.status().message());
      return kExitFailure;
    }
    request.text = *content;
  }
  if (!args.system.empty()) {
    auto s = ParseCodeSystem(args.system);
    if (!s.ok() || (*s != CodeSystem::kOpcs4 && *s != CodeSystem::kCpt)) {
      PrintError(flags, fmt::format("--system {}: expected opcs4 or cpt", args.system));
      return kExitUsage;
    }
    request.system = *s;
  }
  auto validator = LoadValidator(flags);
  if (!validator) return kExitFailure;
  // A recommendation text is read with the loaded releases, which place a code by its title.
  if (!args.guidance_file.empty()) {
    auto content = file::ReadAll(args.guidance_file);
    if (!content.ok()) {
      PrintError(flags, content.status().message());
      return kExitFailure;
    }
    bool yaml = args.guidance_file.ends_with(".yaml") || args.guidance_file.ends_with(".yml");
    auto rec = yaml ? ReadRecommendationYaml(*content, args.guidance_file)
                    : ReadRecommendationText(*content, {args.guidance_file, &validator->catalog()});
    if (!rec.ok()) {
      PrintError(flags, rec.status().message());
      return kExitFailure;
    }
    request.recommendation = std::move(rec).value();
  }
  auto guidance = LoadGuidance(flags);
  if (!guidance) return kExitFailure;
  CodingAssistant assistant(std::shared_ptr<const Catalog>(validator, &validator->catalog()), guidance, validator);
  auto result = assistant.Code(request);
  if (!result.ok()) {
    // Chosen on the command line by its id.
    const bool choose = result.status().message().ends_with("choose the recommendation");
    PrintError(flags, std::string(result.status().message()) +
                          (choose ? " with --guidance ID (see: clincode guidance list)" : ""));
    return result.status().code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
  }
  if (flags.json) {
    std::cout << shapes::Dump(CodingResultJson(*result), 2) << "\n";
  } else {
    PrintResult(*result);
  }
  return kExitOk;
}

}  // namespace

std::function<int(const GlobalFlags&)> SetupCode(CLI::App* cmd) {
  auto args = std::make_shared<CodeArgs>();
  auto* g = cmd->add_option("--guidance", args->guidance, "Recommendation id (IPG12); found from the note when absent");
  cmd->add_option("--guidance-file", args->guidance_file, "A recommendation file: curated .yaml or a NICE text")
      ->excludes(g);
  auto* t = cmd->add_option("--text", args->text, "The operation note");
  cmd->add_option("--text-file", args->text_file, "A file holding the operation note")->excludes(t);
  cmd->add_option("--fact", args->facts,
                  "A fact, key=value (image_method=fluoroscopy, levels=2, laterality=right ...); repeatable")
      ->allow_extra_args(false);
  cmd->add_option("--system", args->system, "opcs4 (default, with ICD-10) or cpt");
  return [args](const GlobalFlags& flags) { return Run(flags, *args); };
}

}  // namespace clincode::cli
