// L4 checkout saga on the order's side (decide.h): a held order is paid only once
// loyalty confirmed; cancel and refunds set the durable "benefits:" timer and release
// by the documented policy; orders that spent nothing never touch loyalty.
#include <gtest/gtest.h>

#include "common/proto_time.h"
#include "services/order/domain/decide.h"
#include "services/order/domain/money.h"

namespace revisit::order {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1772000000);

v1::Order Held(v1::OrderState state, v1::BenefitsState benefits) {
  v1::Order o;
  o.set_order_id("ord-07-00000000000000aa");
  o.set_state(state);
  auto* l = o.add_lines();
  l->set_line_id("1");
  l->set_quantity(2);
  l->mutable_unit_price()->set_amount_minor(5000);
  l->mutable_unit_price()->set_currency("CNY");
  o.mutable_subtotal()->set_amount_minor(10000);
  o.mutable_total()->set_amount_minor(8800);  // 20.00 voucher off, 8.00 shipping
  o.mutable_total()->set_currency("CNY");
  o.mutable_checkout()->set_benefits(benefits);
  o.mutable_checkout()->mutable_voucher_discount()->set_amount_minor(2000);
  o.mutable_checkout()->mutable_shipping_fee()->set_amount_minor(800);
  if (state != v1::ORDER_STATE_CREATED) {
    o.mutable_paid()->set_amount_minor(8800);
    o.mutable_paid()->set_currency("CNY");
  }
  return o;
}

bool HasTimer(const OrderEffects& e, const std::string& id) {
  for (const auto& t : e.timers) {
    if (t.id == id && t.due) return true;
  }
  return false;
}

v1::PayOrderRequest Pay() {
  v1::PayOrderRequest r;
  r.mutable_amount()->set_amount_minor(8800);
  r.mutable_amount()->set_currency("CNY");
  return r;
}

TEST(BenefitsDecideTest, PayNeedsLoyaltysConfirmation) {
  v1::Order o = Held(v1::ORDER_STATE_CREATED, v1::BENEFITS_STATE_HELD);
  EXPECT_EQ(DecidePay(o, Pay(), OrderPolicy(), kNow).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto e = DecidePay(o, Pay(), OrderPolicy(), kNow, /*benefits_confirmed=*/true);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->order.checkout().benefits(), v1::BENEFITS_STATE_CONFIRMED);
  v1::Order none = Held(v1::ORDER_STATE_CREATED, v1::BENEFITS_STATE_NONE);
  auto plain = DecidePay(none, Pay(), OrderPolicy(), kNow);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->order.checkout().benefits(), v1::BENEFITS_STATE_NONE);
}

TEST(BenefitsDecideTest, CancelReleasesHeldOrConfirmed) {
  v1::CancelOrderRequest req;
  req.set_reason("changed my mind");
  for (auto [state, benefits] : {std::pair{v1::ORDER_STATE_CREATED, v1::BENEFITS_STATE_HELD},
                                 std::pair{v1::ORDER_STATE_PAID, v1::BENEFITS_STATE_CONFIRMED}}) {
    auto e = DecideCancel(Held(state, benefits), req, "rfd-07-0000000000000001", kNow);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ(e->order.checkout().benefits(), v1::BENEFITS_STATE_RELEASED);
    EXPECT_TRUE(HasTimer(*e, BenefitsTimerId("ord-07-00000000000000aa")));
  }
  auto none = DecideCancel(Held(v1::ORDER_STATE_CREATED, v1::BENEFITS_STATE_NONE), req, "r", kNow);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(HasTimer(*none, BenefitsTimerId("ord-07-00000000000000aa")));
}

TEST(BenefitsDecideTest, PartialRefundKeepsFullRefundReleases) {
  v1::Order o = Held(v1::ORDER_STATE_DELIVERED, v1::BENEFITS_STATE_CONFIRMED);
  v1::RefundOrderRequest part;
  part.mutable_amount()->set_amount_minor(1000);
  part.mutable_amount()->set_currency("CNY");
  auto e = DecideRefund(o, part, "rfd-1", kNow);
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->order.checkout().benefits(), v1::BENEFITS_STATE_CONFIRMED);
  EXPECT_TRUE(HasTimer(*e, BenefitsTimerId(o.order_id())));
  v1::RefundOrderRequest full;
  full.set_full(true);
  auto f = DecideRefund(e->order, full, "rfd-2", kNow);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->order.checkout().benefits(), v1::BENEFITS_STATE_RELEASED);
  EXPECT_TRUE(HasTimer(*f, BenefitsTimerId(o.order_id())));
}

TEST(BenefitsDecideTest, ShippingIsNoPartOfALinesValue) {
  v1::Order o = Held(v1::ORDER_STATE_DELIVERED, v1::BENEFITS_STATE_CONFIRMED);
  // Paid 88.00 of which 8.00 shipping: the two units carry 80.00, 40.00 each.
  EXPECT_EQ(PaidUnitValue(o, o.lines(0)), 4000);
}

}  // namespace
}  // namespace revisit::order
