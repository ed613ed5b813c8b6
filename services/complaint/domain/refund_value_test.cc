// refund_value: a refund proposal shows what the order service will pay (C6, C9).
// Expected values are worked out by hand from services/order/domain/money.cc.
#include "services/complaint/domain/refund_value.h"

#include <gtest/gtest.h>

namespace revisit::complaint {
namespace {

// Two lines at list price 300.00 + 100.00 = 400.00, paid 320.00 after a discount of
// 80.00 (20%), nothing refunded yet.
order::v1::OrderFacts Discounted() {
  order::v1::OrderFacts o;
  o.set_order_id("ord-1");
  auto add = [&](const char* id, int64_t unit, int qty) {
    auto* l = o.add_lines();
    l->set_line_id(id);
    l->set_quantity(qty);
    l->mutable_unit_price()->set_amount_minor(unit);
    l->mutable_unit_price()->set_currency("CNY");
  };
  add("1", 30000, 1);
  add("2", 5000, 2);
  o.mutable_total()->set_amount_minor(32000);
  o.mutable_paid()->set_amount_minor(32000);
  o.mutable_paid()->set_currency("CNY");
  o.mutable_refunded()->set_currency("CNY");
  return o;
}

LineIds Ids(std::initializer_list<const char*> ids) {
  LineIds out;
  for (const char* id : ids) out.Add(id);
  return out;
}

TEST(RefundValueTest, OneLineOfADiscountedOrderPaysItsPaidShareNotTheListPrice) {
  auto o = Discounted();
  EXPECT_EQ(PaidUnitValue(o, o.lines(0)), 24000);  // 300.00 × 320/400
  EXPECT_EQ(FullRefundValue(o, Ids({"1"})), 24000);
  EXPECT_EQ(FullRefundValue(o, Ids({"2"})), 8000);  // 2 × 40.00
}

TEST(RefundValueTest, EveryLineIsAFullRefundOfTheBalance) {
  auto o = Discounted();
  EXPECT_TRUE(CoversWholeOrder(o, Ids({"2", "1"})));
  EXPECT_TRUE(CoversWholeOrder(o, Ids({})));
  EXPECT_FALSE(CoversWholeOrder(o, Ids({"1", "1"})));
  EXPECT_EQ(FullRefundValue(o, Ids({"1", "2"})), 32000);
  o.mutable_refunded()->set_amount_minor(5000);  // an earlier partial refund
  EXPECT_EQ(FullRefundValue(o, Ids({})), 27000);
}

TEST(RefundValueTest, AlreadyRefundedMoneyCapsALineRefund) {
  auto o = Discounted();
  o.mutable_refunded()->set_amount_minor(30000);
  EXPECT_EQ(FullRefundValue(o, Ids({"1"})), 2000);
  o.mutable_refunded()->set_amount_minor(32000);
  EXPECT_EQ(FullRefundValue(o, Ids({"1"})), 0);
}

TEST(RefundValueTest, ExchangeCreditCountsAsPaidOnAReplacementOrder) {
  // A replacement order: 400.00 of goods, 250.00 carried over, 150.00 paid.
  auto o = Discounted();
  o.mutable_paid()->set_amount_minor(15000);
  o.mutable_replacement_credit()->set_amount_minor(25000);
  o.mutable_replacement_credit()->set_currency("CNY");
  EXPECT_EQ(PaidUnitValue(o, o.lines(0)), 30000);
  EXPECT_EQ(FullRefundValue(o, Ids({"2"})), 10000);
  EXPECT_EQ(FullRefundValue(o, Ids({"1"})), 15000);  // capped at what was paid
}

TEST(RefundValueTest, ShareRoundsDownLikeTheOrderService) {
  auto o = Discounted();
  o.mutable_paid()->set_amount_minor(33333);  // 300.00 × 333.33/400 = 249.9975
  EXPECT_EQ(PaidUnitValue(o, o.lines(0)), 24999);
  order::v1::OrderFacts free;
  free.add_lines()->set_quantity(1);
  EXPECT_EQ(PaidUnitValue(free, free.lines(0)), 0);  // a zero subtotal pays nothing
}

}  // namespace
}  // namespace revisit::complaint
