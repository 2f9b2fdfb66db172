// Codes and patterns as users and recommendations write them: normalisation of every system, the CDS form
// back, the record form, pattern parsing, matching and expansion, catalog lookup, and the codes a note's text
// names (found in order, inside the text, each one the release holds).
#include "clincode/catalog.h"
#include "clincode/code_mentions.h"
#include "clincode/code_pattern.h"
#include "clincode/normalise.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace clincode;  // NOLINT(build/namespaces)
  if (size > 4096) return 0;
  std::string_view text = fuzz::Text(data, size);
  static const auto catalog = Catalog::Starter();
  for (CodeSystem system : kAllCodeSystems) {
    NormalisedCode n;
    if (TryNormaliseCode(system, text, &n)) {
      // The canonical form is a fixed point, and its CDS form reads back to it.
      NormalisedCode again;
      FUZZ_CHECK(TryNormaliseCode(system, n.code, &again) && again.code == n.code);
      NormalisedCode back;
      FUZZ_CHECK(TryNormaliseCode(system, CdsForm(system, n.code), &back) && back.code == n.code);
      FUZZ_CHECK(TryNormaliseCode(system, RecordForm(system, n.code), &back) && back.code == n.code);
    } else {
      FUZZ_CHECK(!NormaliseCode(system, text).ok());
    }
    for (const Release* r : catalog->ReleasesOf(system)) {
      std::size_t end = 0;
      for (const CodeMention& m : FindCodeMentions(*r, text)) {
        FUZZ_CHECK(m.begin >= end && m.begin < m.end && m.end <= text.size());
        FUZZ_CHECK(r->Find(m.code) != Release::kNone);
        end = m.end;
      }
    }
    auto pattern = CodePattern::Parse(system, text);
    if (!pattern.ok()) continue;
    pattern->Matches(text);
    pattern->Matches(n.code);
    for (const Release* r : catalog->ReleasesOf(system)) {
      for (std::uint32_t id : pattern->Expand(*r)) FUZZ_CHECK(id < r->size());
    }
    // What a pattern prints reads back as a pattern.
    FUZZ_CHECK(CodePattern::Parse(system, pattern->ToString()).ok());
  }
  (void)catalog->Lookup(text);
  return 0;
}
