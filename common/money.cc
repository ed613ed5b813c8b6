#include "common/money.h"

#include "absl/strings/str_cat.h"

namespace revisit {

absl::Status ValidateAmount(absl::string_view field, int64_t amount_minor, int64_t min) {
  if (amount_minor < min || amount_minor > kMaxMoneyMinor) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be ", min, "..", kMaxMoneyMinor,
                                                   " minor units, got ", amount_minor));
  }
  return absl::OkStatus();
}

std::optional<int64_t> CheckedAdd(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

std::optional<int64_t> CheckedMul(int64_t a, int64_t b) {
  int64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

}  // namespace revisit
