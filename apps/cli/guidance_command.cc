// `clincode guidance list | show | parse | find | check`.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "clincode/guidance_reader.h"
#include "coding_json.h"
#include "commands.h"
#include "guidance_json.h"
#include "json_output.h"
#include "util/file.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares
namespace {

struct GuidanceArgs {
  std::string id, file, code, system;
  bool markdown = false;
  std::vector<std::string> inputs;  // import: texts and folders of texts
  std::string out = "guidance";     // import: the folder of curated files written
  bool force = false;               // import: replace curated files that exist
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
  auto catalog = LoadCatalog(flags);  // titles against the loaded releases place codes no word places
  if (!catalog) return kExitFailure;
  auto r = ReadRecommendationText(*content, {args.file, catalog.get()});
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
    for (const auto& w : r->warnings) fmt::print("warning: line {}\n", w);
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

// The texts an import reads: files as given, and a folder's *.txt and *.md files in name order.
Result<std::vector<std::string>> ImportInputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> out;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (const auto& e : std::filesystem::directory_iterator(input, ec)) {
        std::string ext = e.path().extension().string();
        if (e.is_regular_file() && (ext == ".txt" || ext == ".md")) found.push_back(e.path().string());
      }
      if (ec) return InvalidArgument(fmt::format("{}: {}", input, ec.message()));
      if (found.empty())
        return InvalidArgument(fmt::format("{}: no *.txt or *.md recommendation texts in the folder", input));
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(input);
    }
  }
  return out;
}

std::string Summary(const Recommendation& r) {
  std::string out;
  for (const Section& s : r.sections) {
    std::string part = fmt::format("{} {} group{}", CodeSystemName(s.classification), s.groups.size(),
                                   s.groups.size() == 1 ? "" : "s");
    if (!s.scenarios.empty()) part += fmt::format(", {} scenarios", s.scenarios.size());
    if (!s.constraints.empty())
      part += fmt::format(", {} constraint{}", s.constraints.size(), s.constraints.size() == 1 ? "" : "s");
    if (s.statement) part += ", a statement";
    out += (out.empty() ? "" : "; ") + part;
  }
  return out;
}

// `guidance import`: every text read into a curated YAML file named by its guidance id.
int Import(const GlobalFlags& flags, const GuidanceArgs& args) {
  auto inputs = ImportInputs(args.inputs);
  if (!inputs.ok()) {
    PrintError(flags, inputs.status().message());
    return kExitFailure;
  }
  auto catalog = LoadCatalog(flags);  // titles against the loaded releases place codes no word places
  if (!catalog) return kExitFailure;
  std::error_code ec;
  std::filesystem::create_directories(args.out, ec);
  if (ec) {
    PrintError(flags, fmt::format("{}: cannot create the folder: {}", args.out, ec.message()));
    return kExitFailure;
  }
  nlohmann::json report = nlohmann::json::array();
  std::map<std::string, std::string> written_from;  // id -> the text it was written from, in this run
  int failed = 0, written = 0;
  for (const std::string& path : *inputs) {
    nlohmann::json item = {{"file", path}};
    auto fail = [&](const std::string& why) {
      ++failed;
      item["error"] = why;
      if (!flags.json) fmt::print("{}: {}\n", path, why);
    };
    auto content = file::ReadAll(path);
    if (!content.ok()) {
      fail(content.status().message());
      report.push_back(item);
      continue;
    }
    ReadOptions options{path, catalog.get()};
    auto r = ReadRecommendationText(*content, options);
    if (!r.ok()) {
      fail(r.status().message());
      report.push_back(item);
      continue;
    }
    std::string id = r->id;
    std::string name = id;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::filesystem::path target = std::filesystem::path(args.out) / (name + ".yaml");
    item["id"] = id;
    item["out"] = target.string();
    item["read"] = Summary(*r);
    item["unparsed"] = r->unparsed;
    item["warnings"] = r->warnings;
    if (auto it = written_from.find(id); it != written_from.end()) {
      fail(fmt::format("{} was already read from {} in this import; not written twice", id, it->second));
    } else if (std::filesystem::exists(target, ec) && !args.force) {
      fail(fmt::format("{} exists; a curated file is not replaced without --force", target.string()));
    } else {
      const std::string temp = target.string() + ".tmp";
      {
        std::ofstream f(temp, std::ios::binary | std::ios::trunc);
        f << WriteRecommendationYaml(*r);
        if (!f) {
          fail(fmt::format("{}: cannot write", temp));
          report.push_back(item);
          continue;
        }
      }
      std::filesystem::rename(temp, target, ec);
      if (ec) {
        fail(fmt::format("{}: cannot write: {}", target.string(), ec.message()));
      } else {
        ++written;
        written_from[id] = path;
        item["written"] = true;
        if (!flags.json) {
          fmt::print("{:<8} {} -> {}\n         read: {}\n", id, path, target.string(), Summary(*r));
          for (const auto& u : r->unparsed) fmt::print("         unparsed line {}\n", u);
          for (const auto& w : r->warnings) fmt::print("         warning: line {}\n", w);
        }
      }
    }
    report.push_back(item);
  }
  if (flags.json) {
    std::cout << shapes::Dump(report, 2) << "\n";
  } else {
    fmt::print("{} of {} texts written to {}{}\n", written, inputs->size(), args.out,
               failed == 0 ? "" : fmt::format("; {} not written (see above)", failed));
  }
  return failed == 0 ? kExitOk : kExitFailure;
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
  auto* import = cmd->add_subcommand("import", "Read published recommendation texts into curated YAML files");
  import->add_option("inputs", args->inputs, "Texts (.txt, .md) and folders of them")->required();
  import->add_option("--out", args->out, "Folder the curated files are written to (use it with --guidance-dir)")
      ->capture_default_str();
  import->add_flag("--force", args->force, "Replace curated files that exist");
  import->callback([action, args] { *action = [args](const GlobalFlags& f) { return Import(f, *args);
};
}  // namespace clincode::cli
);
for (CLI::App* sub : {list, show, parse, find, check, import}) sub->fallthrough();
return [action](const GlobalFlags& flags) { return (*action)(flags); };
}

}  // namespace clincode::cli
