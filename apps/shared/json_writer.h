// Writes JSON text straight into a string, byte for byte as nlohmann::json::dump() writes the same values
// (compact, UTF-8 kept, keys in the order given: give them sorted to match a json object's dump).
//
// For answers on hot paths: a search answer with hierarchy paths is ~9 KB of JSON made of ~250 small
// values, and building it as a json tree first cost more than the search itself (malloc, free and tree
// teardown were half the server's time under load). tests/shared/json_writer_test.cc checks the output
// against nlohmann's dump of the same values.
#ifndef CLINCODE_APPS_SHARED_JSON_WRITER_H_
#define CLINCODE_APPS_SHARED_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace clincode::shapes {

// Appends `s` as a JSON string: quotes, the escapes nlohmann uses (\" \\ \b \f \n \r \t, \u00XX for other
// control characters), everything else as is. A byte that is not valid UTF-8 becomes U+FFFD.
void AppendJsonString(std::string* out, std::string_view s);

// Appends `value` as nlohmann writes a number_float (shortest round-trip digits; null for NaN and infinity).
void AppendJsonNumber(std::string* out, double value);

// Not thread-safe; one writer per string. The caller keeps the calls well formed (a key before each
// value inside an object, every Begin closed by its End, at most kMaxDepth open at once); the writer only
// places the commas.
class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Number(double value);
  JsonWriter& Integer(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  // Key(key) then String(value).
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  // Writes the comma a value needs when it is not the first in its array (values after keys need none).
  void BeforeValue();

  // How deeply objects and arrays may nest: one bit each in has_member_ (no answer comes near it).
  static constexpr int kMaxDepth = 64;

  std::string* out_;
  // Bit d: whether the open object or array at depth d has had a member yet.
  std::uint64_t has_member_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace clincode::shapes

#endif  // CLINCODE_APPS_SHARED_JSON_WRITER_H_
