#include "common/text.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace revisit {
namespace {

// The length of the valid UTF-8 sequence at the start of `s`, or 0 when invalid.
size_t SequenceLength(absl::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  size_t len = 0;
  uint32_t cp = 0;
  if ((c >> 5) == 0x6) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c >> 4) == 0xE) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c >> 3) == 0x1E) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) >> 6) != 0x2) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

std::optional<size_t> CodePoints(absl::string_view s) {
  size_t n = 0;
  while (!s.empty()) {
    const size_t len = SequenceLength(s);
    if (len == 0) return std::nullopt;
    s.remove_prefix(len);
    ++n;
  }
  return n;
}

absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t min_chars,
                          size_t max_chars) {
  const std::optional<size_t> n = CodePoints(value);
  if (!n) return absl::InvalidArgumentError(absl::StrCat(field, ": must be valid UTF-8"));
  if (*n < min_chars || *n > max_chars) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, min_chars > 0 && *n == 0 ? ": required; " : ": ", "must be ", min_chars, "..",
        max_chars, " characters, got ", *n));
  }
  return absl::OkStatus();
}

std::string Excerpt(absl::string_view value) {
  std::string out = "\"";
  absl::string_view rest = value;
  for (size_t chars = 0; !rest.empty() && chars < kExcerptChars; ++chars) {
    const size_t len = SequenceLength(rest);
    const unsigned char c = static_cast<unsigned char>(rest[0]);
    if (len == 0 || (len == 1 && (c < 0x20 || c == 0x7F || c == '"' || c == '\\'))) {
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", c));
      rest.remove_prefix(1);
    } else {
      absl::StrAppend(&out, rest.substr(0, len));
      rest.remove_prefix(len);
    }
  }
  absl::StrAppend(&out, "\"");
  if (!rest.empty()) absl::StrAppend(&out, "… (", value.size(), " bytes)");
  return out;
}

}  // namespace revisit
