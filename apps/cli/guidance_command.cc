// `clincode guidance list | show | parse | find | check`.
#include <fmt/format.h>

#include <iostream>

#include "clincode/guidance_reader.h"
#include "coding_json.h"
#include "commands.h"
#include "guidance_json.h"
#include "util/file.h"
#include "json_output.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares
namespace {

struct GuidanceArgs {
  std::string id, file, code, system;
  bool markdown = false;
};

std::string Systems(const Recommendation& r) {
  std::string out;
  for (const Section& s : r.sections) out += (out.empty() ? "" : ", ") + std::string(CodeSystemName(s.classification));
  return out;
}

int List(const GlobalFlags& flags) {
  auto lib = LoadGuidance(flags);
  if (!lib) return kExitFailure;
  nlohmann::json out = nlohmann::json::array();
  for (const Recommendation& r : lib->all()) {
    if (flags.json) {
      out.push_back(GuidanceListItemJson(r));
    } else {
      fmt::print("{:<10} {}  [{}]\n", r.id, r.title, Systems(r));
    }
  }
  if (flags.json) std::cout << shapes::Dump(out, 2) << "\n";
  return kExitOk;
}

int Show(const GlobalFlags& flags, const GuidanceArgs& args) {
  auto lib = LoadGuidance(flags);
  if (!lib) return kExitFailure;
  const Recommendation* r = lib->Find(args.id);
  if (r == nullptr) {
    PrintError(flags, fmt::format("no recommendation \"{}\" in the library (see `clincode guidance list`)", args.id));
    return kExitFailure;
  }
  if (flags.json) {
    std::cout << shapes::Dump(RecommendationJson(*r), 2) << "\n";
    return kExitOk;
  }
  auto catalog = LoadCatalog(flags);
  if (!catalog) return kExitFailure;
  std::cout << RenderMarkdown(*r, catalog.get());
  return kExitOk;
}

int Parse(const GlobalFlags& flags, const GuidanceArgs& args) {
  auto content = file::ReadAll(args.file);
  if (!content.ok()) {
    PrintError(flags, content.status().message());
    return kExitFailure;
  }
  auto r = ReadRecommendationText(*content, {args.file});
  if (!r.ok()) {
    PrintError(flags, r.status().message());
    return kExitFailure;
  }
  if (flags.json) {
    std::cout << shapes::Dump(RecommendationJson(*r), 2) << "\n";
  } else if (args.markdown) {
    std::cout << RenderMarkdown(*r, nullptr);
  } else {
    std::cout << RenderMarkdown(*r, nullptr);
    for (const auto& u : r->unparsed) fmt::print("unparsed line {}\n", u);
  }
  return kExitOk;
}

int Find(const GlobalFlags& flags, const GuidanceArgs& args) {
  auto lib = LoadGuidance(flags);
  if (!lib) return kExitFailure;
  std::optional<CodeSystem> system;
  if (!args.system.empty()) {
    auto s = ParseCodeSystem(args.system);
    if (!s.ok()) {
      PrintError(flags, s.status().message());
      return kExitUsage;
    }
    system = *s;
  }
  auto mentions = lib->Mentioning(args.code, system);
  if (!mentions.ok()) {
    PrintError(flags, mentions.status().message());
    return kExitFailure;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : *mentions) {
    if (flags.json) {
      out.push_back({{"id", m.recommendation->id},
                     {"title", m.recommendation->title},
                     {"system", CodeSystemName(m.system)},
                     {"pattern", m.pattern},
                     {"via_placeholder", m.via_placeholder}});
    } else {
      fmt::print("{:<10} {:<10} {:<12} {}{}\n", m.recommendation->id, CodeSystemName(m.system), m.pattern,
                 m.recommendation->title, m.via_placeholder ? "  (placeholder)" : "");
    }
  }
  if (flags.json)
    std::cout << shapes::Dump(out, 2) << "\n";
  else if (mentions->empty())
    fmt::print("no recommendation mentions {}\n", args.code);
  return kExitOk;
}

int Check(const GlobalFlags& flags) {
  auto lib = LoadGuidance(flags);
  auto catalog = LoadCatalog(flags);
  if (!lib || !catalog) return kExitFailure;
  auto problems = CheckGuidance(*lib, *catalog);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : problems) {
    if (flags.json) {
      out.push_back({{"guidance", p.guidance_id},
                     {"kind", p.kind},
                     {"code", p.code},
                     {"release", p.release},
                     {"message", p.message}});
    } else {
      fmt::print("{:<10} {:<16} {}\n", p.guidance_id, p.kind, p.message);
    }
  }
  if (flags.json)
    std::cout << shapes::Dump(out, 2) << "\n";
  else
    fmt::print("{} problems in {} recommendations\n", problems.size(), lib->all().size());
  return problems.empty() ? kExitOk : kExitFailure;
}

}  // namespace

std::function<int(const GlobalFlags&)> SetupGuidance(CLI::App* cmd) {
  auto args = std::make_shared<GuidanceArgs>();
  auto action = std::make_shared<std::function<int(const GlobalFlags&)>>();
  cmd->require_subcommand(1);
  auto* list = cmd->add_subcommand("list", "List the recommendations: id, title, systems");
  list->callback([action] { *action = [](const GlobalFlags& f) { return List(f); }; });
  auto* show = cmd->add_subcommand("show", "Show a recommendation as a page in the NICE layout (or --json)");
  show->add_option("id", args->id, "Guidance id, e.g. IPG655")->required();
  show->add_flag("--markdown", args->markdown, "Markdown page (the default without --json)");
  show->callback([action, args] { *action = [args](const GlobalFlags& f) { return Show(f, *args); }; });
  auto* parse = cmd->add_subcommand("parse", "Read a NICE recommendation text and print its structure");
  parse->add_option("file", args->file, "Plain text, markdown, an OPCS4.6 page or a CPT page")->required();
  parse->add_flag("--markdown", args->markdown, "Print the structure as a page");
  parse->callback([action, args] { *action = [args](const GlobalFlags& f) { return Parse(f, *args); }; });
  auto* find = cmd->add_subcommand("find", "Which recommendations mention a code, or a pattern covering it");
  find->add_option("code", args->code, "A code (Y53.4) or pattern (Y53.-)")->required();
  find->add_option("--system", args->system, "Only this system");
  find->callback([action, args] { *action = [args](const GlobalFlags& f) { return Find(f, *args); }; });
  auto* check =
      cmd->add_subcommand("check", "Check every recommendation against the loaded releases (exit 1 if any problem)");
  check->callback([action] { *action = [](const GlobalFlags& f) { return Check(f); }; });
  for (CLI::App* sub : {list, show, parse, find, check}) sub->fallthrough();
  return [action](const GlobalFlags& flags) { return (*action)(flags); };
}

}  // namespace clincode::cli
