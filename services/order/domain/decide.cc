#include "services/order/domain/decide.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/order/domain/facts.h"
#include "services/order/domain/money.h"
#include "services/order/domain/state.h"

namespace revisit::order {
namespace {

// Starts a decision on a copy of `order`.
OrderEffects Begin(const v1::Order& order) {
  OrderEffects e;
  e.order = order;
  return e;
}

template <typename Event>
void Emit(OrderEffects& e, const std::string& name, Event ev) {
  *ev.mutable_order() = Facts(e.order);
  e.events.push_back({name, std::make_shared<Event>(std::move(ev))});
}

}  // namespace

std::string LateTimerId(const std::string& order_id) { return "late:" + order_id; }
std::string CompleteTimerId(const std::string& order_id) { return "complete:" + order_id; }

absl::Time ShipBy(absl::Time paid_at, int cutoff_minutes, absl::TimeZone tz) {
  absl::CivilDay day = absl::ToCivilDay(paid_at, tz);
  auto cutoff_on = [&](absl::CivilDay d) {
    return absl::FromCivil(absl::CivilMinute(d.year(), d.month(), d.day(), cutoff_minutes / 60,
                                             cutoff_minutes % 60),
                           tz);
  };
  absl::Time today = cutoff_on(day);
  return paid_at <= today ? today : cutoff_on(day + 1);
}

absl::StatusOr<OrderEffects> DecidePay(const v1::Order& order, const v1::PayOrderRequest& req,
                                       const OrderPolicy& policy, absl::Time now) {
  const absl::StatusOr<OrderState> next = Transition(order.state(), OrderAction::kPay);
  if (!next.ok()) return next.status();
  const auto& total = order.total();
  if (!v1::PaymentMethod_IsValid(req.payment_method()))
    return absl::InvalidArgumentError("payment_method: not a known PaymentMethod");
  if (req.payment_reference().size() > 128)
    return absl::InvalidArgumentError("payment_reference: at most 128 characters (O2)");
  if (req.amount().amount_minor() != total.amount_minor() ||
      req.amount().currency() != total.currency()) {
    return absl::InvalidArgumentError("amount: must equal the order total " +
                                      FormatMoney(total.amount_minor(), total.currency()));
  }
  OrderEffects e = Begin(order);
  const absl::Time ship_by = ShipBy(now, policy.ship_cutoff_minutes, policy.ship_time_zone);
  e.order.set_state(*next);
  *e.order.mutable_paid() = req.amount();
  *e.order.mutable_paid_at() = ToProto(now);
  *e.order.mutable_ship_by() = ToProto(ship_by);
  e.order.set_payment_method(req.payment_method());  // O2: archived with the order
  e.order.set_payment_reference(req.payment_reference());
  e.timers.push_back({LateTimerId(order.order_id()), ship_by});  // O3
  Emit(e, "paid", v1::OrderPaid());
  return e;
}

absl::StatusOr<OrderEffects> DecideShip(const v1::Order& order, const v1::ShipOrderRequest& req,
                                        const ParcelPerks& perks, absl::Time now) {
  const absl::StatusOr<OrderState> next = Transition(order.state(), OrderAction::kShip);
  if (!next.ok()) return next.status();
  OrderEffects e = Begin(order);
  e.order.set_state(*next);
  auto* s = e.order.mutable_shipment();
  s->set_carrier(req.carrier());
  s->set_tracking_number(req.tracking_number());
  *s->mutable_shipped_at() = ToProto(now);
  s->set_gift_in_parcel(perks.gift_in_parcel);  // O7
  s->set_perks_note(perks.note);
  e.timers.push_back({LateTimerId(order.order_id()), std::nullopt});
  v1::OrderShipped ev;
  ev.set_carrier(s->carrier());
  ev.set_tracking_number(s->tracking_number());
  ev.set_gift_in_parcel(s->gift_in_parcel());
  ev.set_perks_note(s->perks_note());
  Emit(e, "shipped", std::move(ev));
  return e;
}

absl::StatusOr<OrderEffects> DecideDeliver(const v1::Order& order,
                                           const v1::ConfirmDeliveryRequest& req,
                                           const OrderPolicy& policy, absl::Time now) {
  const absl::StatusOr<OrderState> next = Transition(order.state(), OrderAction::kDeliver);
  if (!next.ok()) return next.status();
  const absl::Time signed_at = req.has_signed_at() ? FromProto(req.signed_at()) : now;
  if (signed_at > now + absl::Minutes(5)) {
    return absl::InvalidArgumentError("signed_at: must not be in the future");
  }
  if (signed_at < FromProto(order.shipment().shipped_at())) {
    return absl::InvalidArgumentError("signed_at: must not be before the shipment");
  }
  OrderEffects e = Begin(order);
  e.order.set_state(*next);
  *e.order.mutable_delivery()->mutable_signed_at() = ToProto(signed_at);
  e.order.mutable_delivery()->set_inspected_on_receipt(req.inspected_on_receipt());  // O4
  *e.order.mutable_delivered_at() = ToProto(signed_at);
  const absl::Time auto_at = signed_at + policy.auto_complete_after;
  *e.order.mutable_auto_complete_at() = ToProto(auto_at);
  e.timers.push_back({CompleteTimerId(order.order_id()), auto_at});
  Emit(e, "delivered", v1::OrderDelivered());
  return e;
}

absl::StatusOr<OrderEffects> DecideComplete(const v1::Order& order, bool automatic,
                                            absl::Time now) {
  const absl::StatusOr<OrderState> next = Transition(order.state(), OrderAction::kComplete);
  if (!next.ok()) return next.status();
  OrderEffects e = Begin(order);
  e.order.set_state(*next);
  *e.order.mutable_completed_at() = ToProto(now);
  // The firing timer is completed by the edge; an RPC cancels the pending one.
  if (!automatic) e.timers.push_back({CompleteTimerId(order.order_id()), std::nullopt});
  v1::OrderCompleted ev;
  ev.set_automatic(automatic);
  Emit(e, "completed", std::move(ev));
  return e;
}

absl::StatusOr<OrderEffects> DecideCancel(const v1::Order& order, const v1::CancelOrderRequest& req,
                                          const std::string& refund_id, absl::Time now) {
  const absl::StatusOr<OrderState> next = Transition(order.state(), OrderAction::kCancel);
  if (!next.ok()) return next.status();
  OrderEffects e = Begin(order);
  const int64_t refund = Refundable(order);
  const std::string& currency = order.total().currency();
  e.order.set_state(*next);
  e.order.set_cancel_reason(req.reason());
  *e.order.mutable_cancelled_at() = ToProto(now);
  v1::OrderCancelled ev;
  ev.set_reason(req.reason());
  ev.mutable_refunded()->set_currency(currency);
  if (refund > 0) {  // cancelled before shipment: refund what was paid
    auto* r = e.order.add_refunds();
    r->set_refund_id(refund_id);
    r->mutable_amount()->set_amount_minor(refund);
    r->mutable_amount()->set_currency(currency);
    r->set_reason("order cancelled: " + req.reason());
    *r->mutable_refunded_at() = ToProto(now);
    e.order.mutable_refunded()->set_amount_minor(order.refunded().amount_minor() + refund);
    ev.mutable_refunded()->set_amount_minor(refund);
  }
  e.timers.push_back({LateTimerId(order.order_id()), std::nullopt});
  Emit(e, "cancelled", std::move(ev));
  return e;
}

absl::StatusOr<OrderEffects> DecideRefund(const v1::Order& order, const v1::RefundOrderRequest& req,
                                          const std::string& refund_id, absl::Time now) {
  const absl::StatusOr<OrderState> next = Transition(order.state(), OrderAction::kRefund);
  if (!next.ok()) return next.status();
  absl::StatusOr<v1::Refund> planned = PlanRefund(order, req);
  if (!planned.ok()) return planned.status();
  OrderEffects e = Begin(order);
  e.order.set_state(*next);
  v1::Refund refund = *std::move(planned);
  refund.set_refund_id(refund_id);
  *refund.mutable_refunded_at() = ToProto(now);
  *e.order.add_refunds() = refund;
  e.order.mutable_refunded()->set_amount_minor(order.refunded().amount_minor() +
                                               refund.amount().amount_minor());
  v1::OrderRefunded ev;
  *ev.mutable_refund() = refund;
  Emit(e, "refunded", std::move(ev));
  return e;
}

void NumberLines(v1::Order& order) {
  for (int i = 0; i < order.lines_size(); ++i) order.mutable_lines(i)->set_line_id(std::to_string(i + 1));
}

namespace {

// The new order of an exchange, priced with the credit of the returned lines.
absl::StatusOr<v1::Order> ReplacementOrder(const v1::Order& original,
                                           const v1::CreateReplacementOrderRequest& req,
                                           const std::string& new_id, int64_t credit,
                                           const OrderPolicy& policy, absl::Time now) {
  const std::string& cur = original.total().currency();
  v1::Order o;
  o.set_order_id(new_id);
  o.set_customer_id(original.customer_id());
  *o.mutable_lines() = req.replacement_lines();
  NumberLines(o);
  *o.mutable_shipping_address() = original.shipping_address();
  o.set_replacement_of(original.order_id());
  *o.mutable_created_at() = ToProto(now);
  PriceOrder(o, 0, credit);
  o.mutable_refunded()->set_currency(cur);
  o.mutable_paid()->set_currency(cur);
  o.set_state(v1::ORDER_STATE_CREATED);
  if (o.total().amount_minor() == 0) {  // nothing due: paid at once, ready to ship
    const absl::StatusOr<OrderState> paid = Transition(o.state(), OrderAction::kPay);
    if (!paid.ok()) return paid.status();
    o.set_state(*paid);
    *o.mutable_paid_at() = ToProto(now);
    *o.mutable_ship_by() =
        ToProto(ShipBy(now, policy.ship_cutoff_minutes, policy.ship_time_zone));
  }
  return o;
}

}  // namespace

absl::StatusOr<ReplacementEffects> DecideReplacement(const v1::Order& original,
                                                     const v1::CreateReplacementOrderRequest& req,
                                                     const std::string& new_id,
                                                     const std::string& refund_id,
                                                     const OrderPolicy& policy, absl::Time now) {
  const absl::StatusOr<OrderState> same = Transition(original.state(), OrderAction::kReplace);
  if (!same.ok()) return same.status();
  const std::string& cur = original.total().currency();
  if (req.replacement_lines_size() == 0 || req.replacement_lines(0).unit_price().currency() != cur) {
    return absl::InvalidArgumentError("replacement_lines[0].unit_price.currency: must be " + cur);
  }
  const absl::StatusOr<int64_t> credit = ReturnedValue(original, req.returned_lines());
  if (!credit.ok()) return credit.status();
  absl::StatusOr<v1::Order> o = ReplacementOrder(original, req, new_id, *credit, policy, now);
  if (!o.ok()) return o.status();
  ReplacementEffects out;
  out.price_difference = Subtotal(*o) - *credit;
  // C13: the original records the returned lines, and refunds any excess (多退).
  out.original = Begin(original);
  v1::Refund back;
  back.set_refund_id(refund_id);
  back.mutable_amount()->set_amount_minor(out.price_difference < 0 ? -out.price_difference : 0);
  back.mutable_amount()->set_currency(cur);
  *back.mutable_lines() = req.returned_lines();
  back.set_reason("exchanged for " + new_id + ": " + req.reason());
  *back.mutable_refunded_at() = ToProto(now);
  *out.original.order.add_refunds() = back;
  out.original.order.mutable_refunded()->set_amount_minor(original.refunded().amount_minor() +
                                                          back.amount().amount_minor());
  v1::OrderRefunded refunded;
  *refunded.mutable_refund() = back;
  Emit(out.original, "refunded", std::move(refunded));
  // The replacement, with its O3 timer when already paid.
  out.replacement = Begin(*o);
  if (o->state() == v1::ORDER_STATE_PAID) {
    out.replacement.timers.push_back({LateTimerId(new_id), FromProto(o->ship_by())});
  }
  auto created = std::make_shared<v1::ReplacementOrderCreated>();
  *created->mutable_replacement() = Facts(*o);
  created->set_original_order_id(original.order_id());
  created->mutable_price_difference()->set_amount_minor(out.price_difference);
  created->mutable_price_difference()->set_currency(cur);
  out.replacement.events.push_back({"replacement_created", std::move(created)});
  return out;
}

std::optional<OrderEffects> DecideLate(const v1::Order& order) {
  if (order.state() != v1::ORDER_STATE_PAID) return std::nullopt;
  OrderEffects e = Begin(order);
  v1::ShipmentLate ev;
  *ev.mutable_ship_by() = order.ship_by();
  Emit(e, "shipment_late", std::move(ev));
  return e;
}

}  // namespace revisit::order
