#include "services/order/domain/decide.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/order/domain/exchange.h"
#include "services/order/domain/facts.h"
#include "services/order/domain/pricing.h"
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
std::string BenefitsTimerId(const std::string& order_id) { return "benefits:" + order_id; }

namespace {

bool Spent(const v1::Order& o) {
  const auto b = o.checkout().benefits();
  return b == v1::BENEFITS_STATE_HELD || b == v1::BENEFITS_STATE_CONFIRMED;
}

// Cancel or refund: loyalty is told by the durable timer; a cancelled or fully
// refunded order's benefits are RELEASED.
void GiveBack(OrderEffects& e, bool everything, absl::Time now) {
  if (!Spent(e.order)) return;
  if (everything) e.order.mutable_checkout()->set_benefits(v1::BENEFITS_STATE_RELEASED);
  e.timers.push_back({BenefitsTimerId(e.order.order_id()), now});
}

}  // namespace

namespace {

// The one way an order becomes paid (DecidePay, and a replacement with nothing to
// pay): state, amount, time, the O3 ship-by and its "late:" timer.
void MarkPaid(OrderEffects& e, OrderState paid, const revisit::common::v1::Money& amount,
              const OrderPolicy& policy, absl::Time now) {
  const absl::Time ship_by = ShipBy(now, policy.ship_cutoff_minutes, policy.ship_time_zone);
  e.order.set_state(paid);
  *e.order.mutable_paid() = amount;
  *e.order.mutable_paid_at() = ToProto(now);
  *e.order.mutable_ship_by() = ToProto(ship_by);
  e.timers.push_back({LateTimerId(e.order.order_id()), ship_by});  // O3
}

}  // namespace

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
                                       const OrderPolicy& policy, absl::Time now,
                                       bool benefits_confirmed) {
  const absl::StatusOr<OrderState> next = Transition(order.state(), OrderAction::kPay);
  if (!next.ok()) return next.status();
  const bool held = order.checkout().benefits() == v1::BENEFITS_STATE_HELD;
  if (held && !benefits_confirmed) {
    return absl::FailedPreconditionError("order_id: the vouchers and points of order " +
                                         order.order_id() + " are not confirmed by loyalty");
  }
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
  MarkPaid(e, *next, req.amount(), policy, now);
  e.order.set_payment_method(req.payment_method());  // O2: archived with the order
  e.order.set_payment_reference(req.payment_reference());
  if (held) e.order.mutable_checkout()->set_benefits(v1::BENEFITS_STATE_CONFIRMED);  // L4
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
  GiveBack(e, /*everything=*/true, now);  // L4: vouchers and points back
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
  if (e.order.checkout().benefits() == v1::BENEFITS_STATE_CONFIRMED) {
    GiveBack(e, e.order.refunded().amount_minor() >= e.order.paid().amount_minor(), now);
  }
  v1::OrderRefunded ev;
  *ev.mutable_refund() = refund;
  Emit(e, "refunded", std::move(ev));
  return e;
}

void NumberLines(v1::Order& order) {
  for (int i = 0; i < order.lines_size(); ++i) order.mutable_lines(i)->set_line_id(std::to_string(i + 1));
}

namespace {

// The new order of an exchange, priced by its settlement (exchange.h) and, with
// nothing to pay, paid at once through the transition table (MarkPaid).
absl::StatusOr<OrderEffects> ReplacementOrder(const v1::Order& original,
                                              const v1::CreateReplacementOrderRequest& req,
                                              const std::string& new_id,
                                              const ExchangeSettlement& x,
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
  o.set_state(v1::ORDER_STATE_CREATED);
  PriceInputs in;
  in.credit = x.credit;
  in.shipping_fee = x.customer_pays_postage ? x.postage : 0;  // C14: who is at fault pays
  absl::StatusOr<Price> price = DecidePrice(o.lines(), in);
  if (!price.ok()) return price.status();
  ApplyPrice(o, *price);
  o.mutable_checkout()->set_benefits(v1::BENEFITS_STATE_NONE);
  o.mutable_checkout()->set_shipping_reason(x.customer_pays_postage
                                                ? "exchange: the customer's fault, postage is theirs (C14)"
                                                : "exchange: the shop's fault, postage is the shop's (C14)");
  *o.mutable_exchange() = ExchangeRecord(x, req.fault(), cur);
  OrderEffects e = Begin(o);
  if (price->total == 0) {  // nothing due: paid at once, ready to ship
    const absl::StatusOr<OrderState> paid = Transition(o.state(), OrderAction::kPay);
    if (!paid.ok()) return paid.status();
    revisit::common::v1::Money zero;
    zero.set_currency(cur);
    MarkPaid(e, *paid, zero, policy, now);
  }
  return e;
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
  for (int i = 0; i < req.replacement_lines_size(); ++i) {
    if (req.replacement_lines(i).unit_price().currency() != cur) {
      return absl::InvalidArgumentError(
          absl::StrCat("replacement_lines[", i, "].unit_price.currency: must be ", cur));
    }
  }
  if (req.replacement_lines_size() == 0) {
    return absl::InvalidArgumentError("replacement_lines: at least one line");
  }
  const absl::StatusOr<ExchangeSettlement> x = SettleExchange(original, req, policy.shipping_fee_minor);
  if (!x.ok()) return x.status();
  absl::StatusOr<OrderEffects> replacement = ReplacementOrder(original, req, new_id, *x, policy, now);
  if (!replacement.ok()) return replacement.status();
  ReplacementEffects out;
  out.price_difference = x->price_difference;
  // C13: the original records the returned lines, and refunds any excess (多退).
  out.original = Begin(original);
  v1::Refund back;
  back.set_refund_id(refund_id);
  back.mutable_amount()->set_amount_minor(x->refund);
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
  out.replacement = *std::move(replacement);
  auto created = std::make_shared<v1::ReplacementOrderCreated>();
  *created->mutable_replacement() = Facts(out.replacement.order);
  created->set_original_order_id(original.order_id());
  created->mutable_price_difference()->set_amount_minor(out.price_difference);
  created->mutable_price_difference()->set_currency(cur);
  *created->mutable_exchange() = out.replacement.order.exchange();
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
