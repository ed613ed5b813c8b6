// Request validation of the loyalty RPCs (validation.h) and the O7 answer for a
// customer loyalty has not projected yet (account.h PerksWithoutAccount).
#include "services/loyalty/domain/validation.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/testing/account_test_data.h"
#include "services/loyalty/domain/vouchers.h"

namespace revisit::loyalty {
namespace {

using testing::Day;

// Customer and order IDs as the order service issues them: the order embeds the
// customer's shard (0x07 here).
constexpr char kCustomer[] = "cus-07-00000000000000aa";
constexpr char kOrder[] = "ord-07-0123456789abcdef";

void ExpectError(const absl::Status& st, absl::StatusCode code, const std::string& names) {
  EXPECT_EQ(st.code(), code) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), names)) << st << " should name " << names;
}

revisit::common::v1::Money Money(int64_t minor, const std::string& currency) {
  revisit::common::v1::Money m;
  m.set_amount_minor(minor);
  m.set_currency(currency);
  return m;
}

TEST(UnknownCustomerTest, NotFoundNamingTheFieldAndWhereLoyaltyLearnsCustomers) {
  absl::Status st = UnknownCustomer("voucher.customer_id", kCustomer);
  ExpectError(st, absl::StatusCode::kNotFound, "voucher.customer_id: no loyalty account for");
  EXPECT_TRUE(absl::StrContains(st.message(), kCustomer)) << st;
  EXPECT_TRUE(absl::StrContains(st.message(), "revisit.order.v1 customer_registered")) << st;
}

TEST(ValidateOrderIdTest, AnOrderOfTheCustomer) {
  EXPECT_TRUE(ValidateOrderId("order_id", kOrder, kCustomer).ok());
  // A customer ID not issued by the order service: only the order's shape is checked.
  EXPECT_TRUE(ValidateOrderId("order_id", kOrder, "cus-x-1").ok());
  EXPECT_TRUE(ValidateOrderId("order_id", kOrder, "").ok());
}

TEST(ValidateOrderIdTest, MalformedOrMissingIsInvalid) {
  ExpectError(ValidateOrderId("order_id", "", kCustomer), absl::StatusCode::kInvalidArgument,
              "order_id: required");
  for (const char* bad : {"o1", "not an order", "cmp-07-0123456789abcdef", "ord-07-0123456789abcdeg",
                          "ord-7-0123456789abcdef0", "ord-zz-0123456789abcdef", "ord-10-0123456789abcdef",
                          "ord-07-0123456789abcdef0"}) {
    ExpectError(ValidateOrderId("order_id", bad, kCustomer), absl::StatusCode::kInvalidArgument,
                "order_id: \"");
  }
}

TEST(ValidateOrderIdTest, AnotherCustomersShardIsInvalid) {
  ExpectError(ValidateOrderId("order_id", "ord-08-0123456789abcdef", kCustomer),
              absl::StatusCode::kInvalidArgument, "is not an order of customer");
}

TEST(ValidateOrderAmountTest, InRangeAndInTheServiceCurrency) {
  EXPECT_TRUE(ValidateOrderAmount("order_amount", Money(8800, "CNY"), "CNY").ok());
  EXPECT_TRUE(ValidateOrderAmount("order_amount", Money(0, ""), "CNY").ok());
  ExpectError(ValidateOrderAmount("order_amount", Money(-1, "CNY"), "CNY"),
              absl::StatusCode::kInvalidArgument, "order_amount.amount_minor: must be 0..");
  ExpectError(ValidateOrderAmount("order_amount", Money(INT64_MAX, "CNY"), "CNY"),
              absl::StatusCode::kInvalidArgument, "order_amount.amount_minor: must be 0..");
  ExpectError(ValidateOrderAmount("order_amount", Money(8800, "USD"), "CNY"),
              absl::StatusCode::kInvalidArgument, "order_amount.currency: must be CNY");
  ExpectError(ValidateOrderAmount("order_amount", Money(8800, ""), "CNY"),
              absl::StatusCode::kInvalidArgument, "order_amount.currency");
}

TEST(ParseLedgerPageTest, SizeAndToken) {
  revisit::common::v1::PageRequest p;
  auto d = ParseLedgerPage(p);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size, 50);
  EXPECT_EQ(d->before_seq, 0);
  p.set_page_size(200);
  p.set_page_token("42");
  d = ParseLedgerPage(p);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size, 200);
  EXPECT_EQ(d->before_seq, 42);
  p.set_page_size(-1);
  ExpectError(ParseLedgerPage(p).status(), absl::StatusCode::kInvalidArgument, "page.page_size");
  p.set_page_size(201);
  ExpectError(ParseLedgerPage(p).status(), absl::StatusCode::kInvalidArgument, "page.page_size");
  p.set_page_size(10);
  for (const char* bad : {"0", "-3", "abc"}) {
    p.set_page_token(bad);
    ExpectError(ParseLedgerPage(p).status(), absl::StatusCode::kInvalidArgument, "page.page_token");
  }
}

TEST(PrepareVoucherTest, UnknownKindIsInvalid) {
  v1::Voucher v;
  v.set_customer_id(kCustomer);
  v.set_kind(static_cast<v1::VoucherKind>(99));
  v.mutable_value()->set_amount_minor(100);
  v.mutable_value()->set_currency("CNY");
  ExpectError(PrepareVoucher(v, Day(0), LoyaltyRules{}), absl::StatusCode::kInvalidArgument,
              "voucher.kind: unknown value 99");
}

TEST(PrepareVoucherTest, SourceIsBounded) {
  v1::Voucher v;
  v.set_customer_id(kCustomer);
  v.set_kind(v1::VOUCHER_KIND_COMPENSATION);
  v.mutable_value()->set_amount_minor(100);
  v.mutable_value()->set_currency("CNY");
  v.set_source(std::string(128, 's'));
  EXPECT_TRUE(PrepareVoucher(v, Day(0), LoyaltyRules{}).ok());
  v.set_source(std::string(129, 's'));
  ExpectError(PrepareVoucher(v, Day(0), LoyaltyRules{}), absl::StatusCode::kInvalidArgument,
              "voucher.source: at most 128");
}

TEST(PerksWithoutAccountTest, NoGiftAndSaysWhyO7) {
  auto r = PerksWithoutAccount(kCustomer, Day(0));
  EXPECT_FALSE(r.parcel_gift());
  EXPECT_EQ(r.tier(), v1::TIER_REGULAR);
  EXPECT_TRUE(absl::StrContains(r.reason(), "no account for cus-07-00000000000000aa")) << r.reason();
  EXPECT_TRUE(absl::StrContains(r.reason(), "O7")) << r.reason();
  // The same benefits as a brand-new account: the answer only adds the reason.
  auto fresh = DecidePerks(NewAccount(kCustomer), Day(0));
  EXPECT_EQ(r.benefits_size(), fresh.benefits_size());
}

}  // namespace
}  // namespace revisit::loyalty
