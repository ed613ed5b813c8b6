// Text in requests: the one rule for strings every service accepts.
//
// Length is counted in Unicode code points (not bytes). Invalid UTF-8 (a stray
// continuation byte, a truncated sequence, an overlong form, a surrogate, a code
// point above U+10FFFF) is refused everywhere with INVALID_ARGUMENT naming the
// field. Error messages never echo a whole input: Excerpt() quotes at most a short,
// truncated, printable prefix, so a 10,000-character ID yields a short message (a
// long one would reach a default gRPC client as RESOURCE_EXHAUSTED instead of the
// real status).
// Thread-safety: pure functions.
#ifndef REVISIT_COMMON_TEXT_H_
#define REVISIT_COMMON_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace revisit {

// The longest excerpt of an input a refusal quotes, in code points.
inline constexpr size_t kExcerptChars = 32;

// The number of code points of `s`, or nullopt when `s` is not valid UTF-8.
std::optional<size_t> CodePoints(absl::string_view s);

// INVALID_ARGUMENT "<field>: must be valid UTF-8" or "<field>: must be min..max
// characters, got n" (a required field has min >= 1); OK otherwise.
absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t min_chars,
                          size_t max_chars);

// `value` quoted for an error message: at most kExcerptChars code points, control
// characters and invalid bytes as \xNN, and "… (N bytes)" when cut.
std::string Excerpt(absl::string_view value);

}  // namespace revisit

#endif  // REVISIT_COMMON_TEXT_H_
