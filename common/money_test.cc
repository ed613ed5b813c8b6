// The money rule and checked arithmetic (common/money.h).
#include "common/money.h"

#include <gtest/gtest.h>

#include <limits>

#include "absl/strings/match.h"

namespace revisit {
namespace {

TEST(ValidateAmountTest, ZeroToTenToTheFifteenNamingTheField) {
  EXPECT_TRUE(ValidateAmount("amount.amount_minor", 0).ok());
  EXPECT_TRUE(ValidateAmount("amount.amount_minor", kMaxMoneyMinor).ok());
  EXPECT_FALSE(ValidateAmount("amount.amount_minor", 0, 1).ok());
  for (int64_t bad : {int64_t{-1}, kMaxMoneyMinor + 1, std::numeric_limits<int64_t>::max(),
                      std::numeric_limits<int64_t>::min()}) {
    absl::Status st = ValidateAmount("amount.amount_minor", bad);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_TRUE(absl::StartsWith(st.message(), "amount.amount_minor: must be 0..")) << st;
  }
}

TEST(CheckedArithmeticTest, NulloptOnOverflow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(CheckedAdd(1, 2), 3);
  EXPECT_EQ(CheckedAdd(kMax, 1), std::nullopt);
  EXPECT_EQ(CheckedAdd(-kMax, -2), std::nullopt);
  EXPECT_EQ(CheckedMul(kMaxMoneyMinor, 1000), kMaxMoneyMinor * 1000);
  EXPECT_EQ(CheckedMul(kMax / 2 + 1, 2), std::nullopt);
}

}  // namespace
}  // namespace revisit
