// What the fuzz targets share: a check that stops the run with a message (a broken invariant is a finding,
// as a crash is), and the engine over the built-in data, built once per process.
#ifndef CLINCODE_FUZZ_FUZZ_SUPPORT_H_
#define CLINCODE_FUZZ_FUZZ_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "engine.h"

// Stops the run when `cond` is false: libFuzzer (or the replay driver) reports it with the input.
#define FUZZ_CHECK(cond)                                                                      \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s at %s:%d\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace clincode::fuzz {

inline std::string_view Text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// The engine over the starter data, the built-in guidance and rules; made on first use, never freed.
inline const server::Engine& StarterEngine() {
  static const std::shared_ptr<const server::Engine> engine = [] {
    auto guidance = GuidanceLibrary::Load({});
    auto rules = RuleSet::Load({});
    FUZZ_CHECK(guidance.ok() && rules.ok());
    auto e = server::Engine::Build({Catalog::Starter(), *guidance, *rules});
    FUZZ_CHECK(e.ok());
    return *e;
  }();
  return *engine;
}

}  // namespace clincode::fuzz

#endif  // CLINCODE_FUZZ_FUZZ_SUPPORT_H_
