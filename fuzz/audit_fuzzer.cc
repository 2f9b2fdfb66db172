// Two hostile episode files through the audit (the input's first "\n====\n" parts them; without it, the
// same text is both files): every row of both is accounted for, no figure is more right than it counts,
// every error names a kind and every code error a type.
#include <unistd.h>

#include <cstdio>
#include <string>

#include "clincode/audit.h"
#include "fuzz_support.h"

namespace {

std::string Write(const char* name, std::string_view text) {
  const std::string path = std::string("/tmp/clincode-fuzz-audit-") + std::to_string(::getpid()) + "-" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  FUZZ_CHECK(f != nullptr);
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return path;
}

class Count : public clincode::AuditSink {
 public:
  void Write(const std::vector<clincode::AuditError>& batch, const std::string&) override {
    for (const auto& e : batch) {
      FUZZ_CHECK(!clincode::AuditErrorKindName(e.kind).empty());
      if (clincode::IsCodeError(e.kind))
        ++code;
      else
        ++rows;
    }
  }
  std::size_t code = 0, rows = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const clincode::Validator& validator = clincode::fuzz::StarterEngine().validator();
  std::string_view input = clincode::fuzz::Text(data, size);
  const std::size_t cut = input.find("\n====\n");
  const std::string original = Write("original", cut == std::string_view::npos ? input : input.substr(0, cut + 1));
  const std::string audited = Write("audited", cut == std::string_view::npos ? input : input.substr(cut + 6));
  Count sink;
  clincode::AuditOptions options;
  options.threads = 2;
  options.key = size > 0 && data[0] % 4 == 0 ? "SPELL" : "";
  auto s = clincode::AuditFiles(original, audited, validator, &sink, options);
  std::remove(original.c_str());
  std::remove(audited.c_str());
  if (!s.ok()) return 0;
  FUZZ_CHECK(s->rows_original == s->episodes_audited + s->unmatched_original + s->unreadable_original);
  FUZZ_CHECK(s->rows_audited == s->episodes_audited + s->unmatched_audited + s->unreadable_audited);
  FUZZ_CHECK(sink.code == s->code_errors);
  FUZZ_CHECK(sink.rows ==
             s->unmatched_original + s->unmatched_audited + s->unreadable_original + s->unreadable_audited);
  FUZZ_CHECK(s->figures.episodes == s->episodes_audited);
  for (clincode::AuditCodeType t : clincode::kAuditCodeTypes) {
    const auto& f = s->figures.of(t);
    FUZZ_CHECK(f.correct <= f.total);
    FUZZ_CHECK(f.Percent() >= 0 && f.Percent() <= 100);
  }
  return 0;
}
