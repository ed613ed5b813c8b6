// Money amounts in requests and the arithmetic on them: the one rule for
// amount_minor fields every service accepts, and overflow-checked sums.
//
// An amount is 0..kMaxMoneyMinor minor units (10^15: ten trillion yuan), far
// inside int64, so sums and products of a few thousand amounts cannot overflow;
// an amount near 2^63 is refused at the edge with INVALID_ARGUMENT naming the
// field instead of wrapping around in a total. CheckedAdd/CheckedMul guard the
// arithmetic where counts are not bounded by a request.
// Thread-safety: pure functions.
#ifndef REVISIT_COMMON_MONEY_H_
#define REVISIT_COMMON_MONEY_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace revisit {

inline constexpr int64_t kMaxMoneyMinor = 1000000000000000;  // 10^15

// INVALID_ARGUMENT "<field>: must be <min>..1000000000000000 minor units, got n"
// unless min <= amount_minor <= kMaxMoneyMinor.
absl::Status ValidateAmount(absl::string_view field, int64_t amount_minor, int64_t min = 0);

// a + b and a * b, or nullopt when the result does not fit in int64.
std::optional<int64_t> CheckedAdd(int64_t a, int64_t b);
std::optional<int64_t> CheckedMul(int64_t a, int64_t b);

}  // namespace revisit

#endif  // REVISIT_COMMON_MONEY_H_
