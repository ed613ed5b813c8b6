// The order deciders (decide.h): every action from every state, the money and time
// rules, and the exact effects (order, events, timers), without Redis.
#include "services/order/domain/decide.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "common/proto_time.h"
#include "services/order/domain/state.h"

namespace revisit::order {
namespace {

using S = v1::OrderState;

const absl::TimeZone kUtc = absl::UTCTimeZone();

absl::Time At(int day, int hour) {
  return absl::FromCivil(absl::CivilSecond(2026, 3, day, hour, 0, 0), kUtc);
}

OrderPolicy Policy() {
  OrderPolicy p;
  p.ship_cutoff_minutes = 18 * 60;
  p.ship_time_zone = kUtc;
  p.auto_complete_after = absl::Hours(24 * 7);
  return p;
}

// An order of two lines (2 × 50.00 + 1 × 100.00 = 200.00 CNY) in `state`.
v1::Order OrderIn(S state) {
  v1::Order o;
  o.set_order_id("ord-07-00000000000000aa");
  o.set_customer_id("cus-07-00000000000000bb");
  o.set_state(state);
  for (auto [id, qty, price] : {std::tuple{"1", 2, 5000}, std::tuple{"2", 1, 10000}}) {
    auto* l = o.add_lines();
    l->set_line_id(id);
    l->set_sku(std::string("SKU-") + id);
    l->set_quantity(qty);
    l->mutable_unit_price()->set_amount_minor(price);
    l->mutable_unit_price()->set_currency("CNY");
  }
  o.mutable_subtotal()->set_amount_minor(20000);
  o.mutable_subtotal()->set_currency("CNY");
  o.mutable_total()->set_amount_minor(20000);
  o.mutable_total()->set_currency("CNY");
  if (state != S::ORDER_STATE_CREATED) {
    o.mutable_paid()->set_amount_minor(state == S::ORDER_STATE_CANCELLED ? 0 : 20000);
    o.mutable_paid()->set_currency("CNY");
    *o.mutable_paid_at() = ToProto(At(2, 9));
  }
  if (state == S::ORDER_STATE_SHIPPED || state == S::ORDER_STATE_DELIVERED ||
      state == S::ORDER_STATE_COMPLETED) {
    *o.mutable_shipment()->mutable_shipped_at() = ToProto(At(2, 15));
  }
  return o;
}

const S kStates[] = {S::ORDER_STATE_CREATED,   S::ORDER_STATE_PAID,
                     S::ORDER_STATE_SHIPPED,   S::ORDER_STATE_DELIVERED,
                     S::ORDER_STATE_COMPLETED, S::ORDER_STATE_CANCELLED};

v1::PayOrderRequest Pay(int64_t amount) {
  v1::PayOrderRequest r;
  r.mutable_amount()->set_amount_minor(amount);
  r.mutable_amount()->set_currency("CNY");
  return r;
}

v1::RefundOrderRequest RefundAmount(int64_t amount) {
  v1::RefundOrderRequest r;
  r.mutable_amount()->set_amount_minor(amount);
  r.mutable_amount()->set_currency("CNY");
  r.set_reason("defect");
  return r;
}

// Each decider runs from every state; it succeeds exactly where the transition
// table allows its action, and a refusal names the state.
TEST(OrderDecideTest, EveryDeciderFromEveryStateFollowsTheTable) {
  int checked = 0;
  for (S s : kStates) {
    const v1::Order o = OrderIn(s);
    const absl::Time now = At(3, 10);
    v1::ShipOrderRequest ship;
    v1::ConfirmDeliveryRequest deliver;
    v1::CancelOrderRequest cancel;
    cancel.set_reason("changed my mind");
    const std::pair<OrderAction, absl::StatusOr<OrderEffects>> runs[] = {
        {OrderAction::kPay, DecidePay(o, Pay(20000), Policy(), now)},
        {OrderAction::kShip, DecideShip(o, ship, ParcelPerks(), now)},
        {OrderAction::kDeliver, DecideDeliver(o, deliver, Policy(), now)},
        {OrderAction::kComplete, DecideComplete(o, false, now)},
        {OrderAction::kCancel, DecideCancel(o, cancel, "rfd-1", now)},
        {OrderAction::kRefund, DecideRefund(o, RefundAmount(100), "rfd-1", now)},
    };
    for (const auto& [action, got] : runs) {
      const absl::StatusOr<OrderState> allowed = Transition(s, action);
      if (allowed.ok()) {
        ASSERT_TRUE(got.ok()) << StateName(s) << " / " << ActionName(action) << ": " << got.status();
        EXPECT_EQ(got->order.state(), *allowed);
        EXPECT_EQ(got->events.size(), 1u);
      } else {
        EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition)
            << StateName(s) << " / " << ActionName(action);
        EXPECT_TRUE(absl::StrContains(got.status().message(), StateName(s))) << got.status();
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 36);
}

TEST(OrderDecideTest, PayRecordsPaymentAndArmsTheSameDayShippingTimerO3) {
  auto e = DecidePay(OrderIn(S::ORDER_STATE_CREATED), Pay(20000), Policy(), At(3, 10));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->order.paid().amount_minor(), 20000);
  EXPECT_EQ(FromProto(e->order.paid_at()), At(3, 10));
  EXPECT_EQ(FromProto(e->order.ship_by()), At(3, 18));
  ASSERT_EQ(e->timers.size(), 1u);
  EXPECT_EQ(e->timers[0].id, "late:ord-07-00000000000000aa");
  EXPECT_EQ(e->timers[0].due, At(3, 18));
  ASSERT_EQ(e->events.size(), 1u);
  EXPECT_EQ(e->events[0].name, "paid");
  const auto& ev = static_cast<const v1::OrderPaid&>(*e->events[0].payload);
  EXPECT_EQ(ev.order().state(), S::ORDER_STATE_PAID);
  EXPECT_EQ(ev.order().paid().amount_minor(), 20000);
  // After the cut-off, the next day's.
  e = DecidePay(OrderIn(S::ORDER_STATE_CREATED), Pay(20000), Policy(), At(3, 19));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->timers[0].due, At(4, 18));
}

// O1, O2: the payment is archived and travels (method only) to the thank-you.
TEST(OrderDecideTest, PayArchivesPaymentMethodReferenceAndShipByOnTheFactsO1O2) {
  v1::PayOrderRequest req = Pay(20000);
  req.set_payment_method(v1::PAYMENT_METHOD_WECHAT_PAY);
  req.set_payment_reference("wx-4200001234");
  auto e = DecidePay(OrderIn(S::ORDER_STATE_CREATED), req, Policy(), At(3, 19));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->order.payment_method(), v1::PAYMENT_METHOD_WECHAT_PAY);
  EXPECT_EQ(e->order.payment_reference(), "wx-4200001234");
  const auto& ev = static_cast<const v1::OrderPaid&>(*e->events[0].payload);
  EXPECT_EQ(ev.order().payment_method(), v1::PAYMENT_METHOD_WECHAT_PAY);
  EXPECT_EQ(FromProto(ev.order().ship_by()), At(4, 18)) << "paid after the cut-off (O3)";
  req.set_payment_method(static_cast<v1::PaymentMethod>(42));
  auto bad = DecidePay(OrderIn(S::ORDER_STATE_CREATED), req, Policy(), At(3, 10));
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "payment_method:")) << bad.status();
  req.set_payment_method(v1::PAYMENT_METHOD_ALIPAY);
  req.set_payment_reference(std::string(129, 'x'));
  bad = DecidePay(OrderIn(S::ORDER_STATE_CREATED), req, Policy(), At(3, 10));
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "payment_reference:")) << bad.status();
}

TEST(OrderDecideTest, PayMustEqualTheTotalNamingAmount) {
  for (int64_t wrong : {int64_t{0}, int64_t{19999}, int64_t{20001}}) {
    auto e = DecidePay(OrderIn(S::ORDER_STATE_CREATED), Pay(wrong), Policy(), At(3, 10));
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(e.status().message(), "amount: must equal the order total 200.00 CNY"))
        << e.status();
  }
  v1::PayOrderRequest usd = Pay(20000);
  usd.mutable_amount()->set_currency("USD");
  EXPECT_FALSE(DecidePay(OrderIn(S::ORDER_STATE_CREATED), usd, Policy(), At(3, 10)).ok());
}

TEST(OrderDecideTest, ShipRecordsCarrierAndPerksAndCancelsTheLateTimerO7) {
  v1::ShipOrderRequest req;
  req.set_carrier("顺丰速运");
  req.set_tracking_number("SF1");
  ParcelPerks perks{true, "repeat customer: gift in parcel"};
  auto e = DecideShip(OrderIn(S::ORDER_STATE_PAID), req, perks, At(3, 11));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(e->order.shipment().carrier(), "顺丰速运");
  EXPECT_TRUE(e->order.shipment().gift_in_parcel());
  ASSERT_EQ(e->timers.size(), 1u);
  EXPECT_EQ(e->timers[0].id, "late:ord-07-00000000000000aa");
  EXPECT_FALSE(e->timers[0].due.has_value());
  const auto& ev = static_cast<const v1::OrderShipped&>(*e->events[0].payload);
  EXPECT_EQ(ev.tracking_number(), "SF1");
  EXPECT_EQ(ev.perks_note(), "repeat customer: gift in parcel");
  EXPECT_EQ(FromProto(ev.order().shipped_at()), At(3, 11));
}

TEST(OrderDecideTest, DeliveryRecordsInspectionAndArmsAutoCompleteO4) {
  v1::ConfirmDeliveryRequest req;
  req.set_inspected_on_receipt(true);
  *req.mutable_signed_at() = ToProto(At(4, 8));
  auto e = DecideDeliver(OrderIn(S::ORDER_STATE_SHIPPED), req, Policy(), At(4, 9));
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_TRUE(e->order.delivery().inspected_on_receipt());
  EXPECT_EQ(FromProto(e->order.delivered_at()), At(4, 8));
  ASSERT_EQ(e->timers.size(), 1u);
  EXPECT_EQ(e->timers[0].id, "complete:ord-07-00000000000000aa");
  EXPECT_EQ(e->timers[0].due, At(11, 8));
  const auto& ev = static_cast<const v1::OrderDelivered&>(*e->events[0].payload);
  EXPECT_TRUE(ev.order().inspected_on_receipt());
}

TEST(OrderDecideTest, DeliveryTimeMustBeBetweenShipmentAndNow) {
  v1::ConfirmDeliveryRequest req;
  *req.mutable_signed_at() = ToProto(At(5, 9));
  auto e = DecideDeliver(OrderIn(S::ORDER_STATE_SHIPPED), req, Policy(), At(4, 9));
  EXPECT_EQ(e.status().message(), "signed_at: must not be in the future");
  *req.mutable_signed_at() = ToProto(At(2, 14));  // shipped at 2nd 15:00
  e = DecideDeliver(OrderIn(S::ORDER_STATE_SHIPPED), req, Policy(), At(4, 9));
  EXPECT_EQ(e.status().message(), "signed_at: must not be before the shipment");
}

TEST(OrderDecideTest, CompleteByRpcCancelsTheTimerByTimerSaysAutomatic) {
  auto rpc = DecideComplete(OrderIn(S::ORDER_STATE_DELIVERED), false, At(5, 9));
  ASSERT_TRUE(rpc.ok());
  ASSERT_EQ(rpc->timers.size(), 1u);
  EXPECT_FALSE(rpc->timers[0].due.has_value());
  EXPECT_FALSE(static_cast<const v1::OrderCompleted&>(*rpc->events[0].payload).automatic());
  auto timer = DecideComplete(OrderIn(S::ORDER_STATE_DELIVERED), true, At(5, 9));
  ASSERT_TRUE(timer.ok());
  EXPECT_TRUE(timer->timers.empty());
  EXPECT_TRUE(static_cast<const v1::OrderCompleted&>(*timer->events[0].payload).automatic());
  EXPECT_EQ(FromProto(timer->order.completed_at()), At(5, 9));
}

TEST(OrderDecideTest, CancelRefundsWhatWasPaidOnlyIfPaid) {
  v1::CancelOrderRequest req;
  req.set_reason("changed my mind");
  auto unpaid = DecideCancel(OrderIn(S::ORDER_STATE_CREATED), req, "rfd-1", At(3, 9));
  ASSERT_TRUE(unpaid.ok());
  EXPECT_EQ(unpaid->order.refunds_size(), 0);
  EXPECT_EQ(static_cast<const v1::OrderCancelled&>(*unpaid->events[0].payload).refunded().amount_minor(), 0);
  auto paid = DecideCancel(OrderIn(S::ORDER_STATE_PAID), req, "rfd-1", At(3, 9));
  ASSERT_TRUE(paid.ok());
  ASSERT_EQ(paid->order.refunds_size(), 1);
  EXPECT_EQ(paid->order.refunds(0).refund_id(), "rfd-1");
  EXPECT_EQ(paid->order.refunds(0).amount().amount_minor(), 20000);
  EXPECT_EQ(paid->order.refunded().amount_minor(), 20000);
  EXPECT_EQ(paid->order.cancel_reason(), "changed my mind");
  const auto& ev = static_cast<const v1::OrderCancelled&>(*paid->events[0].payload);
  EXPECT_EQ(ev.refunded().amount_minor(), 20000);
  EXPECT_EQ(ev.order().state(), S::ORDER_STATE_CANCELLED);
  ASSERT_EQ(paid->timers.size(), 1u);
  EXPECT_EQ(paid->timers[0].id, "late:ord-07-00000000000000aa");
}

TEST(OrderDecideTest, RefundsNeverExceedWhatWasPaidAndNameTheScope) {
  v1::Order o = OrderIn(S::ORDER_STATE_DELIVERED);
  auto part = DecideRefund(o, RefundAmount(5000), "rfd-1", At(5, 9));
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_EQ(part->order.state(), S::ORDER_STATE_DELIVERED);
  EXPECT_EQ(part->order.refunded().amount_minor(), 5000);
  EXPECT_EQ(part->order.refunds(0).refund_id(), "rfd-1");
  const auto& ev = static_cast<const v1::OrderRefunded&>(*part->events[0].payload);
  EXPECT_EQ(ev.refund().amount().amount_minor(), 5000);
  EXPECT_EQ(ev.order().refunded().amount_minor(), 5000);
  auto too_much = DecideRefund(part->order, RefundAmount(15001), "rfd-2", At(5, 9));
  EXPECT_EQ(too_much.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(too_much.status().message(), "amount: refund of 150.01 CNY"))
      << too_much.status();
  auto negative = DecideRefund(o, RefundAmount(-1), "rfd-2", At(5, 9));
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(negative.status().message(), "amount.amount_minor: ")) << negative.status();
  v1::RefundOrderRequest lines;
  auto* q = lines.mutable_lines()->add_lines();
  q->set_line_id("1");
  q->set_quantity(3);  // only 2 bought
  EXPECT_EQ(DecideRefund(o, lines, "rfd-2", At(5, 9)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

v1::CreateReplacementOrderRequest Exchange(int64_t new_price) {
  v1::CreateReplacementOrderRequest r;
  auto* q = r.add_returned_lines();
  q->set_line_id("1");
  q->set_quantity(1);
  auto* l = r.add_replacement_lines();
  l->set_sku("SKU-9");
  l->set_quantity(1);
  l->mutable_unit_price()->set_amount_minor(new_price);
  l->mutable_unit_price()->set_currency("CNY");
  r.set_reason("wrong size");
  return r;
}

// C13 多退少补: the returned unit is worth what was paid for it (50.00); a dearer
// replacement leaves the difference to pay, a cheaper one refunds the excess.
TEST(OrderDecideTest, ExchangeSettlesThePriceDifferenceBothWaysC13) {
  const v1::Order o = OrderIn(S::ORDER_STATE_DELIVERED);
  auto dearer = DecideReplacement(o, Exchange(8000), "ord-07-00000000000000cc", "rfd-1", Policy(),
                                  At(5, 10));
  ASSERT_TRUE(dearer.ok()) << dearer.status();
  EXPECT_EQ(dearer->price_difference, 3000);
  EXPECT_EQ(dearer->replacement.order.state(), S::ORDER_STATE_CREATED);
  EXPECT_EQ(dearer->replacement.order.total().amount_minor(), 3000);
  EXPECT_EQ(dearer->replacement.order.replacement_of(), o.order_id());
  EXPECT_EQ(dearer->replacement.order.lines(0).line_id(), "1");
  EXPECT_TRUE(dearer->replacement.timers.empty());
  ASSERT_EQ(dearer->original.order.refunds_size(), 1);
  EXPECT_EQ(dearer->original.order.refunds(0).amount().amount_minor(), 0);
  EXPECT_EQ(dearer->original.order.refunds(0).lines(0).quantity(), 1);
  EXPECT_EQ(dearer->original.order.state(), S::ORDER_STATE_DELIVERED);
  ASSERT_EQ(dearer->original.events.size(), 1u);
  EXPECT_EQ(dearer->original.events[0].name, "refunded");
  ASSERT_EQ(dearer->replacement.events.size(), 1u);
  EXPECT_EQ(dearer->replacement.events[0].name, "replacement_created");
  const auto& created =
      static_cast<const v1::ReplacementOrderCreated&>(*dearer->replacement.events[0].payload);
  EXPECT_EQ(created.price_difference().amount_minor(), 3000);
  EXPECT_EQ(created.original_order_id(), o.order_id());

  auto cheaper = DecideReplacement(o, Exchange(4000), "ord-07-00000000000000cc", "rfd-1", Policy(),
                                   At(5, 10));
  ASSERT_TRUE(cheaper.ok()) << cheaper.status();
  EXPECT_EQ(cheaper->price_difference, -1000);
  EXPECT_EQ(cheaper->original.order.refunds(0).amount().amount_minor(), 1000);
  EXPECT_EQ(cheaper->original.order.refunded().amount_minor(), 1000);
  // Nothing left to pay: paid at once through the table, with its O3 shipping timer.
  EXPECT_EQ(cheaper->replacement.order.state(), S::ORDER_STATE_PAID);
  ASSERT_EQ(cheaper->replacement.timers.size(), 1u);
  EXPECT_EQ(cheaper->replacement.timers[0].id, "late:ord-07-00000000000000cc");
  EXPECT_EQ(cheaper->replacement.timers[0].due, At(5, 18));
}

TEST(OrderDecideTest, ExchangeOnlyAfterDeliveryAndOnlyOfWhatWasBought) {
  for (S s : kStates) {
    auto e = DecideReplacement(OrderIn(s), Exchange(5000), "ord-new", "rfd-1", Policy(), At(5, 10));
    const bool allowed = s == S::ORDER_STATE_DELIVERED || s == S::ORDER_STATE_COMPLETED;
    EXPECT_EQ(e.ok(), allowed) << StateName(s) << ": " << e.status();
    if (!allowed) {
      EXPECT_EQ(e.status().code(), absl::StatusCode::kFailedPrecondition);
    }
  }
  v1::CreateReplacementOrderRequest three = Exchange(5000);
  three.mutable_returned_lines(0)->set_quantity(3);  // 2 bought
  EXPECT_EQ(DecideReplacement(OrderIn(S::ORDER_STATE_DELIVERED), three, "ord-new", "rfd-1", Policy(),
                              At(5, 10)).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::CreateReplacementOrderRequest usd = Exchange(5000);
  usd.mutable_replacement_lines(0)->mutable_unit_price()->set_currency("USD");
  EXPECT_EQ(DecideReplacement(OrderIn(S::ORDER_STATE_DELIVERED), usd, "ord-new", "rfd-1", Policy(),
                              At(5, 10)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OrderDecideTest, LateShipmentApologyOnlyForAPaidOrderO3) {
  for (S s : kStates) {
    std::optional<OrderEffects> e = DecideLate(OrderIn(s));
    EXPECT_EQ(e.has_value(), s == S::ORDER_STATE_PAID) << StateName(s);
    if (e) {
      ASSERT_EQ(e->events.size(), 1u);
      EXPECT_EQ(e->events[0].name, "shipment_late");
      EXPECT_TRUE(e->timers.empty());
      EXPECT_EQ(e->order.state(), S::ORDER_STATE_PAID);
    }
  }
}

TEST(ShipByTest, SameDayBeforeCutoffNextDayAfter) {  // O3
  absl::TimeZone sh;
  ASSERT_TRUE(absl::LoadTimeZone("Asia/Shanghai", &sh));
  absl::Time morning = absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), sh);
  absl::Time evening = absl::FromCivil(absl::CivilSecond(2026, 3, 2, 19, 0, 0), sh);
  EXPECT_EQ(ShipBy(morning, 18 * 60, sh), absl::FromCivil(absl::CivilSecond(2026, 3, 2, 18, 0, 0), sh));
  EXPECT_EQ(ShipBy(evening, 18 * 60, sh), absl::FromCivil(absl::CivilSecond(2026, 3, 3, 18, 0, 0), sh));
}

}  // namespace
}  // namespace revisit::order
