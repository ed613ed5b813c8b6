// L4 vouchers for regulars: who is a regular, which voucher, how often.
#include "services/loyalty/domain/regular_vouchers.h"

#include <gtest/gtest.h>

#include "common/keys.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using testing::CustomerWithOrders;
using testing::Day;
using testing::Has;
using testing::Order;
using testing::RefundOf;

TEST(RegularVoucherTest, TheThirdKeptOrderMakesARegularWithAVoucherL4) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({1, 20}, rules);
  EXPECT_EQ(a.regular_voucher_period(), 0);  // two orders: not yet a regular
  Effects e;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o3", 10000, Day(40)), "ev3", Day(40), rules, e).ok());
  ASSERT_EQ(e.vouchers.size(), 1u);
  EXPECT_TRUE(Has(e, "voucher_issued"));
  const v1::Voucher& v = e.vouchers[0];
  EXPECT_EQ(v.kind(), v1::VOUCHER_KIND_REGULAR_REWARD);
  EXPECT_EQ(v.customer_id(), "cus-1");
  EXPECT_EQ(v.state(), v1::VOUCHER_STATE_ISSUED);
  EXPECT_EQ(v.value().amount_minor(), 2000);
  EXPECT_EQ(v.value().currency(), "CNY");
  EXPECT_EQ(v.min_spend().amount_minor(), 10000);
  EXPECT_EQ(FromProto(v.valid_from()), Day(40));
  EXPECT_EQ(FromProto(v.valid_until()), Day(40) + absl::Hours(24 * 30));
  EXPECT_TRUE(v.categories().empty());
  EXPECT_NE(v.reason().find("3 kept orders"), std::string::npos) << v.reason();
  EXPECT_EQ(v.voucher_id(), RegularVoucherId("cus-1", RegularPeriod(Day(40), rules)));
  EXPECT_EQ(*ShardOfEntityId(v.voucher_id(), "vch", "voucher_id"), ShardOf("cus-1"));
}

TEST(RegularVoucherTest, OnePerPeriodThenAgainInTheNextL4) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({1, 2, 3}, rules);
  const int64_t first = a.regular_voucher_period();
  ASSERT_GT(first, 0);
  Effects same;
  Review(a, Day(4), rules, same);
  EXPECT_TRUE(same.vouchers.empty());
  // The first instant of the next period: one more (the orders are still recent).
  const absl::Time next = absl::UnixEpoch() + rules.regular_period * (first + 1);
  Effects e;
  Review(a, next, rules, e);
  ASSERT_EQ(e.vouchers.size(), 1u);
  EXPECT_EQ(a.regular_voucher_period(), first + 1);
  EXPECT_NE(e.vouchers[0].voucher_id(), RegularVoucherId("cus-1", first));
}

TEST(RegularVoucherTest, OrdersOutsideTheWindowOrRefundedInFullDoNotCountL4) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({1, 2}, rules);
  Effects e;
  // 400 days later the first two are outside the 365-day window.
  ASSERT_TRUE(OnOrderCompleted(a, Order("o3", 10000, Day(402)), "ev3", Day(402), rules, e).ok());
  EXPECT_TRUE(e.vouchers.empty());
  EXPECT_EQ(RecentKeptOrders(a, Day(402), rules), 1);

  auto b = CustomerWithOrders({1, 2}, rules);
  Effects r;
  ASSERT_TRUE(OnOrderRefunded(b, Order("o2", 10000, Day(2)), RefundOf("rf", 10000, Day(3)), "ev",
                              Day(3), rules, r).ok());
  Effects c;
  ASSERT_TRUE(OnOrderCompleted(b, Order("o4", 10000, Day(4)), "ev4", Day(4), rules, c).ok());
  EXPECT_TRUE(c.vouchers.empty()) << "a refunded order is not a kept one";
  EXPECT_EQ(RecentKeptOrders(b, Day(4), rules), 2);
}

TEST(RegularVoucherTest, ACustomerUnderReviewIsNotRewardedL4L7) {
  LoyaltyRules rules;
  auto a = CustomerWithOrders({1, 2}, rules);
  a.set_negative_value(true);
  Effects e;
  EXPECT_FALSE(IssueRegularVoucher(a, Day(30), rules, e));
  EXPECT_TRUE(e.vouchers.empty());
}

TEST(RegularVoucherTest, ConfiguredTermsAndOffSwitchL4) {
  LoyaltyRules rules;
  rules.regular_min_orders = 1;
  rules.regular_voucher_minor = 500;
  rules.regular_min_spend_minor = 0;
  rules.regular_validity = absl::Hours(24 * 7);
  auto a = NewAccount("cus-1");
  Effects e;
  ASSERT_TRUE(OnOrderCompleted(a, Order("o1", 10000, Day(1)), "ev1", Day(1), rules, e).ok());
  ASSERT_EQ(e.vouchers.size(), 1u);
  EXPECT_EQ(e.vouchers[0].value().amount_minor(), 500);
  EXPECT_EQ(e.vouchers[0].min_spend().amount_minor(), 0);
  EXPECT_EQ(FromProto(e.vouchers[0].valid_until()), Day(1) + absl::Hours(24 * 7));

  rules.regular_min_orders = 0;  // off
  auto b = CustomerWithOrders({1, 2, 3, 4}, rules);
  EXPECT_EQ(b.regular_voucher_period(), 0);
}

}  // namespace
}  // namespace revisit::loyalty
