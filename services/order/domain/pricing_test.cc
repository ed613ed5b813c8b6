// L4/L8/O5 checkout pricing: every discount in order, caps, the shipping fee and its
// waiver, and overflow refused rather than wrapped (common/money.h).
#include "services/order/domain/pricing.h"

#include <gtest/gtest.h>

namespace revisit::order {
namespace {

google::protobuf::RepeatedPtrField<v1::OrderLine> Lines(int64_t unit, int32_t qty) {
  google::protobuf::RepeatedPtrField<v1::OrderLine> lines;
  auto* l = lines.Add();
  l->mutable_unit_price()->set_amount_minor(unit);
  l->mutable_unit_price()->set_currency("CNY");
  l->set_quantity(qty);
  return lines;
}

TEST(PricingTest, EveryPartInOrder) {
  PriceInputs in;
  in.promise_discount = 1000;
  in.voucher_discount = 2000;
  in.points_discount = 500;
  in.shipping_fee = 800;
  auto p = DecidePrice(Lines(5000, 2), in);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->subtotal, 10000);
  EXPECT_EQ(p->total, 10000 - 1000 - 2000 - 500 + 800);
  EXPECT_EQ(p->shipping_fee, 800);
}

TEST(PricingTest, FreeShippingPassWaivesTheFee) {
  PriceInputs in;
  in.shipping_fee = 800;
  in.shipping_waived = true;
  auto p = DecidePrice(Lines(5000, 1), in);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->shipping_fee, 0);
  EXPECT_EQ(p->total, 5000);
}

TEST(PricingTest, PromiseAndCreditAreCappedVouchersAndPointsAreRefused) {
  PriceInputs in;
  in.promise_discount = 9000;
  auto p = DecidePrice(Lines(5000, 1), in);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->promise_discount, 5000);
  EXPECT_EQ(p->total, 0);
  in.promise_discount = 1000;
  in.voucher_discount = 4001;
  EXPECT_EQ(DecidePrice(Lines(5000, 1), in).status().code(), absl::StatusCode::kFailedPrecondition);
  in.voucher_discount = 4000;
  in.points_discount = 1;
  auto refused = DecidePrice(Lines(5000, 1), in);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("points"), std::string::npos);
  in.points_discount = 0;
  in.credit = 99999;
  auto credited = DecidePrice(Lines(5000, 1), in);
  ASSERT_TRUE(credited.ok());
  EXPECT_EQ(credited->credit, 0);  // nothing left for the credit
}

TEST(PricingTest, OverflowIsRefusedNotWrapped) {
  EXPECT_EQ(CheckedSubtotal(Lines(1000000000000000, 10000)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckedSubtotal(Lines(INT64_MAX, 2)).status().code(), absl::StatusCode::kInvalidArgument);
  auto two = Lines(600000000000000, 1);
  *two.Add() = two.Get(0);
  EXPECT_EQ(CheckedSubtotal(two).status().code(), absl::StatusCode::kInvalidArgument);  // 1.2e15
  PriceInputs in;
  in.shipping_fee = 2;
  EXPECT_EQ(DecidePrice(Lines(1000000000000000, 1), in).status().code(),
            absl::StatusCode::kInvalidArgument);  // total beyond 10^15
  in.shipping_fee = -1;
  EXPECT_EQ(DecidePrice(Lines(1, 1), in).status().code(), absl::StatusCode::kInvalidArgument);
  PriceInputs neg;
  neg.points_discount = -5;
  EXPECT_EQ(DecidePrice(Lines(1, 1), neg).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PricingTest, ApplyPriceWritesTheCheckout) {
  v1::Order o;
  *o.mutable_lines() = Lines(5000, 1);
  Price p;
  p.subtotal = 5000;
  p.voucher_discount = 1000;
  p.points_discount = 200;
  p.shipping_fee = 800;
  p.total = 4600;
  ApplyPrice(o, p);
  EXPECT_EQ(o.total().amount_minor(), 4600);
  EXPECT_EQ(o.checkout().voucher_discount().amount_minor(), 1000);
  EXPECT_EQ(o.checkout().points_discount().amount_minor(), 200);
  EXPECT_EQ(o.checkout().shipping_fee().amount_minor(), 800);
  EXPECT_EQ(o.checkout().shipping_fee().currency(), "CNY");
}

}  // namespace
}  // namespace revisit::order
