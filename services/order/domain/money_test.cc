#include "services/order/domain/money.h"

#include <gtest/gtest.h>

namespace revisit::order {
namespace {

v1::Order TwoLineOrder(int64_t discount) {
  v1::Order o;
  o.set_order_id("ord-00-0000000000000001");
  auto add = [&](const char* id, int qty, int64_t price) {
    auto* l = o.add_lines();
    l->set_line_id(id);
    l->set_quantity(qty);
    l->mutable_unit_price()->set_amount_minor(price);
    l->mutable_unit_price()->set_currency("CNY");
  };
  add("1", 2, 5000);  // 100.00
  add("2", 1, 10000);  // 100.00
  PriceOrder(o, discount, 0);
  o.mutable_paid()->set_amount_minor(o.total().amount_minor());
  return o;
}

v1::RefundOrderRequest ByAmount(int64_t minor) {
  v1::RefundOrderRequest r;
  r.mutable_amount()->set_amount_minor(minor);
  r.mutable_amount()->set_currency("CNY");
  return r;
}

TEST(OrderMoneyTest, PromisedDiscountIsCappedAtSubtotal) {  // O5
  EXPECT_EQ(TwoLineOrder(2000).total().amount_minor(), 18000);
  EXPECT_EQ(TwoLineOrder(99999).total().amount_minor(), 0);
}

TEST(OrderMoneyTest, RefundNeverExceedsPaid) {
  v1::Order o = TwoLineOrder(0);
  auto too_much = PlanRefund(o, ByAmount(20001));
  EXPECT_EQ(too_much.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(too_much.status().message().find("exceeds the refundable balance 200.00 CNY"),
            std::string::npos);
  o.mutable_refunded()->set_amount_minor(15000);
  EXPECT_FALSE(PlanRefund(o, ByAmount(5001)).ok());
  EXPECT_EQ(PlanRefund(o, ByAmount(5000))->amount().amount_minor(), 5000);
}

TEST(OrderMoneyTest, FullRefundIsTheRemainder) {
  v1::Order o = TwoLineOrder(0);
  o.mutable_refunded()->set_amount_minor(3000);
  v1::RefundOrderRequest full;
  full.set_full(true);
  EXPECT_EQ(PlanRefund(o, full)->amount().amount_minor(), 17000);
}

TEST(OrderMoneyTest, LineRefundSpreadsTheDiscount) {
  v1::Order o = TwoLineOrder(2000);  // paid 180.00 for 200.00 of goods: 10% off
  v1::RefundOrderRequest req;
  auto* lq = req.mutable_lines()->add_lines();
  lq->set_line_id("2");
  lq->set_quantity(1);
  EXPECT_EQ(PlanRefund(o, req)->amount().amount_minor(), 9000);
}

TEST(OrderMoneyTest, LineRefundRejectsUnknownLinesAndOverQuantity) {
  v1::Order o = TwoLineOrder(0);
  v1::RefundOrderRequest req;
  auto* lq = req.mutable_lines()->add_lines();
  lq->set_line_id("9");
  lq->set_quantity(1);
  EXPECT_EQ(PlanRefund(o, req).status().code(), absl::StatusCode::kInvalidArgument);
  lq->set_line_id("1");
  lq->set_quantity(3);
  EXPECT_EQ(PlanRefund(o, req).status().message(),
            "lines[0].quantity: must be 1..2 (line 1 has 2 not yet refunded)");
}

TEST(OrderMoneyTest, RefundedLinesCannotBeRefundedAgain) {
  v1::Order o = TwoLineOrder(0);
  auto* r = o.add_refunds();
  auto* done = r->add_lines();
  done->set_line_id("2");
  done->set_quantity(1);
  v1::RefundOrderRequest req;
  auto* lq = req.mutable_lines()->add_lines();
  lq->set_line_id("2");
  lq->set_quantity(1);
  EXPECT_EQ(PlanRefund(o, req).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OrderMoneyTest, WrongCurrencyIsInvalid) {
  v1::Order o = TwoLineOrder(0);
  auto req = ByAmount(100);
  req.mutable_amount()->set_currency("USD");
  EXPECT_EQ(PlanRefund(o, req).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OrderMoneyTest, FormatsMinorUnits) {
  EXPECT_EQ(FormatMoney(12345, "CNY"), "123.45 CNY");
  EXPECT_EQ(FormatMoney(-5, "CNY"), "-0.05 CNY");
}

}  // namespace
}  // namespace revisit::order
