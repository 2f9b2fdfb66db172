// UTF-8 checks for callers outside the library (the server checks every request target at the door).
#ifndef CLINCODE_UTF8_H_
#define CLINCODE_UTF8_H_

#include <cstddef>
#include <string_view>

namespace clincode {

// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
// On false, *bad_offset (when given) is the offset of the first byte that starts no valid sequence.
bool IsValidUtf8(std::string_view s, std::size_t* bad_offset = nullptr);

}  // namespace clincode

#endif  // CLINCODE_UTF8_H_
