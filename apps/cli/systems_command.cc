#include <fmt/format.h>

#include <iostream>

#include "commands.h"
#include "json_output.h"

namespace clincode::cli {

using namespace shapes;  // NOLINT(build/namespaces): the JSON shapes the server shares

std::function<int(const GlobalFlags&)> SetupSystems(CLI::App*) {
  return [](const GlobalFlags& flags) {
    auto catalog = LoadCatalog(flags);
    if (!catalog) return kExitFailure;
    if (flags.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& r : catalog->releases()) out.push_back(ReleaseJson(*r));
      std::cout << shapes::Dump(out, 2) << "\n";
      return kExitOk;
    }
    for (const auto& r : catalog->releases()) {
      const ReleaseInfo& info = r->info();
      const KindCounts& c = r->counts();
      fmt::print("{:<10} {}\n", CodeSystemName(info.system), info.edition);
      std::string sources;
      for (const auto& s : info.sources) sources += (sources.empty() ? "" : ", ") + s;
      fmt::print("           source:  {}\n", sources);
      fmt::print("           counts:  {} chapters, {} blocks, {} categories, {} codes\n", c.chapters, c.blocks,
                 c.categories, c.codes);
    }
    return kExitOk;
  };
}

}  // namespace clincode::cli
