#include "common/ids.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/text.h"

namespace revisit {
namespace {

absl::Status Bad(absl::string_view field, absl::string_view value, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule, ", got ", Excerpt(value)));
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view id) {
  constexpr char kRule[] = "must be 1..128 characters of A-Z a-z 0-9 . _ : -";
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat("request_id: required; ", kRule));
  if (id.size() > kMaxIdChars) return Bad("request_id", id, kRule);
  for (char c : id) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                    c == ':' || c == '-';
    if (!ok) return Bad("request_id", id, kRule);
  }
  return absl::OkStatus();
}

absl::Status ValidateId(absl::string_view field, absl::string_view value) {
  constexpr char kRule[] = "must be 1..128 printable ASCII characters without spaces";
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": required; ", kRule));
  if (value.size() > kMaxIdChars) return Bad(field, value, kRule);
  for (unsigned char c : value) {
    if (c < 0x21 || c > 0x7E) return Bad(field, value, kRule);
  }
  return absl::OkStatus();
}

}  // namespace revisit
