// A rule's message or fix template, read once when the rule set is loaded: runs of text and the names of
// docs/rules.md ("{code}", "{title}", ...). Validating a findings-heavy file fills two templates per finding,
// a million a second; reading the names once keeps that to appends and a switch.
#ifndef CLINCODE_RULES_MESSAGE_TEMPLATE_H_
#define CLINCODE_RULES_MESSAGE_TEMPLATE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clincode::rules {

enum class TemplateName : std::uint8_t {
  kText,  // a run of text, kept as written (an unknown "{name}" too)
  kCode,
  kCanonical,
  kTitle,
  kPosition,
  kNext,
  kPartner,
  kPattern,
  kChapter,
  kSex,
  kAge,
  kMinAge,
  kMaxAge,
  kFirst,
  kRelease,
  kField,
  kValue,
};

struct TemplatePart {
  TemplateName name = TemplateName::kText;
  std::string text;  // kText only
};

using MessageTemplate = std::vector<TemplatePart>;

// Splits `text` into runs and names. A "{" without a "}" after it, and a name not in TemplateName, are text.
MessageTemplate ReadTemplate(std::string_view text);

// The compiled form of a RuleSet's rules, in rule order (RuleSet holds it; only the rules layer sees it).
struct CompiledRules {
  std::vector<MessageTemplate> messages, fixes;
  // Rules among the first 64 that run whatever codes an episode holds (field rules, well-formedness of
  // every code): bit r for rule r. The others run only where some code admits them (RuleSet::Check).
  std::uint64_t code_independent = 0;
};

}  // namespace clincode::rules

#endif  // CLINCODE_RULES_MESSAGE_TEMPLATE_H_
