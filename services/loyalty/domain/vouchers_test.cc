// L4/L8 vouchers: validation, immutable terms, redeem once, free-shipping pass.
#include "services/loyalty/domain/vouchers.h"

#include <gtest/gtest.h>

#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/testing/account_test_data.h"

namespace revisit::loyalty {
namespace {

using testing::Day;

v1::Voucher Valid() {
  v1::Voucher v;
  v.set_customer_id("cus-1");
  v.set_kind(v1::VOUCHER_KIND_COMPENSATION);
  v.mutable_value()->set_amount_minor(2000);
  v.mutable_value()->set_currency("CNY");
  v.mutable_min_spend()->set_amount_minor(10000);
  v.mutable_min_spend()->set_currency("CNY");
  *v.mutable_valid_until() = ToProto(Day(30));
  v.set_reason("late parcel");
  v.set_source("cmp-01-aa");
  return v;
}


TEST(VoucherTest, ValidationNamesTheField) {
  LoyaltyRules rules;
  struct Case { std::string name; std::function<void(v1::Voucher&)> mutate; std::string field; } cases[] = {
      {"customer", [](v1::Voucher& v) { v.clear_customer_id(); }, "voucher.customer_id"},
      {"kind", [](v1::Voucher& v) { v.set_kind(v1::VOUCHER_KIND_UNSPECIFIED); }, "voucher.kind"},
      {"value", [](v1::Voucher& v) { v.mutable_value()->set_amount_minor(0); }, "voucher.value.amount_minor"},
      {"currency", [](v1::Voucher& v) { v.mutable_value()->set_currency("cny"); }, "voucher.value.currency"},
      {"past", [](v1::Voucher& v) { *v.mutable_valid_until() = ToProto(Day(0)); }, "voucher.valid_until"},
      {"state", [](v1::Voucher& v) { v.set_state(v1::VOUCHER_STATE_REDEEMED); }, "voucher.state"},
  };
  for (const auto& c : cases) {
    v1::Voucher v = Valid();
    c.mutate(v);
    auto st = PrepareVoucher(v, Day(0), rules);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(std::string(st.message()).find(c.field), std::string::npos) << st.message();
  }
  v1::Voucher ok = Valid();
  ASSERT_TRUE(PrepareVoucher(ok, Day(0), rules).ok());
  EXPECT_EQ(ok.state(), v1::VOUCHER_STATE_ISSUED);
  EXPECT_EQ(FromProto(ok.valid_from()), Day(0));
}

TEST(VoucherTest, TermsAreImmutableL4) {
  LoyaltyRules rules;
  v1::Voucher issued = Valid();
  ASSERT_TRUE(PrepareVoucher(issued, Day(0), rules).ok());
  EXPECT_TRUE(SameTerms(Valid(), issued));  // a retry without valid_from matches
  v1::Voucher rewritten = Valid();
  rewritten.mutable_min_spend()->set_amount_minor(50000);  // the 小源 case
  EXPECT_FALSE(SameTerms(rewritten, issued));
  v1::Voucher shorter = Valid();
  *shorter.mutable_valid_until() = ToProto(Day(10));
  EXPECT_FALSE(SameTerms(shorter, issued));
}

TEST(VoucherTest, FreeShippingPassOneYearOrLifetimeL8) {
  LoyaltyRules rules;
  v1::Voucher pass;
  pass.set_customer_id("cus-1");
  pass.set_kind(v1::VOUCHER_KIND_FREE_SHIPPING_PASS);
  v1::Voucher lifetime = pass;
  EXPECT_TRUE(PrepareVoucher(lifetime, Day(0), rules).ok());
  v1::Voucher year = pass;
  *year.mutable_valid_from() = ToProto(Day(0));
  *year.mutable_valid_until() = ToProto(Day(365));
  EXPECT_TRUE(PrepareVoucher(year, Day(0), rules).ok());
  v1::Voucher month = pass;
  *month.mutable_valid_until() = ToProto(Day(30));
  EXPECT_EQ(PrepareVoucher(month, Day(0), rules).code(), absl::StatusCode::kInvalidArgument);
  v1::Voucher valued = pass;
  valued.mutable_value()->set_amount_minor(100);
  EXPECT_EQ(PrepareVoucher(valued, Day(0), rules).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace revisit::loyalty
