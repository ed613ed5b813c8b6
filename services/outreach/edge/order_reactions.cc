#include "services/outreach/edge/order_reactions.h"

// Reactions to the order service's events (O1, O3, R1, R2, R5, R10, R12).
#include "absl/strings/str_cat.h"
#include "common/event_dispatch.h"
#include "common/status.h"
#include "revisit/order/v1/events.pb.h"
#include "absl/strings/strip.h"
#include "services/outreach/store/consent_record.h"
#include "services/outreach/edge/dispatcher.h"
#include "services/outreach/edge/greetings_scheduler.h"
#include "services/outreach/edge/message_facts.h"
#include "common/proto_time.h"
#include "services/outreach/domain/touch_ids.h"

namespace revisit::outreach {
namespace {

namespace ov1 = revisit::order::v1;
constexpr int kRecentOrders = 8;

MessageFacts FactsOfOrder(const ov1::OrderFacts& o) {
  MessageFacts m;
  for (const auto& line : o.lines()) {
    m.products.push_back(line.name());
    m.quantity += line.quantity();
    if (m.category.empty()) m.category = line.category();
  }
  m.order_id = o.order_id();
  // O1: what was paid (the total before payment), how, and the O3 ship-by day.
  const auto& money = o.paid().currency().empty() ? o.total() : o.paid();
  m.amount_minor = money.amount_minor();
  m.currency = money.currency();
  if (o.payment_method() != ov1::PAYMENT_METHOD_UNSPECIFIED)
    m.payment_method = std::string(absl::StripPrefix(ov1::PaymentMethod_Name(o.payment_method()),
                                                     "PAYMENT_METHOD_"));
  if (o.has_ship_by()) m.ship_by = FromProto(o.ship_by());
  return m;
}

// The order's facts in the customer's locale and zone, with what they bought before
// this order (R10).
MessageFacts PersonalFacts(const TouchTxn& txn, const store::CustomerState& c,
                           const ov1::OrderFacts& o) {
  MessageFacts m = FactsOfOrder(o);
  m.locale = c.locale();
  m.tz = ZoneOrDefault(c.time_zone(), txn.config().default_time_zone);
  for (const auto& r : c.recent_orders()) {
    if (r.order_id() == o.order_id()) continue;
    m.previous_products.assign(r.products().begin(), r.products().end());
  }
  return m;
}

// Remembers the order's product names (R10) for later touches.
void Remember(store::CustomerState& c, const ov1::OrderFacts& o) {
  const MessageFacts m = FactsOfOrder(o);
  for (const auto& r : c.recent_orders())
    if (r.order_id() == o.order_id()) return;
  if (c.recent_orders_size() >= kRecentOrders) c.mutable_recent_orders()->DeleteSubrange(0, 1);
  store::OrderProducts* r = c.add_recent_orders();
  r->set_order_id(o.order_id());
  for (const auto& p : m.products) r->add_products(p);
  r->set_category(m.category);
  c.clear_last_products();
  for (const auto& p : m.products) c.add_last_products(p);
}

// The archive's non-identifying facts. Consent is not among them: outreach owns it
// (consent.h); the archive hands over only what was given at registration.
void SetProfile(store::CustomerState& c, const std::string& tz, const std::string& locale,
                const revisit::common::v1::MonthDay& birthday) {
  if (!tz.empty()) c.set_time_zone(tz);
  if (!locale.empty()) c.set_locale(locale);  // R10
  *c.mutable_birthday() = birthday;
}

// R6: the consent given at registration, recorded once (never over a later change).
void AdoptRegistrationConsent(TouchTxn& txn, const ov1::CustomerRegistered& ev,
                              const std::string& event_id, absl::Time at) {
  const auto changes = RegistrationConsent(txn.customer().consent_owned(), ev.customer_id(),
                                           ev.consents(), event_id, at);
  if (txn.customer().consent_owned()) return;
  RecordConsent(txn, ev.consents(), nullptr);
  for (const auto& change : changes) RecordConsent(txn, ev.consents(), &change);
}

// Schedules the order touch `trigger` at `fact_time` + the rule's delay.
absl::Status ScheduleFor(TouchTxn& txn, Trigger trigger, const ov1::OrderFacts& o,
                         absl::Time fact_time) {
  const MessageFacts facts = PersonalFacts(txn, txn.customer(), o);
  Remember(txn.customer(), o);
  txn.MarkCustomerDirty();
  TouchSpec spec;
  spec.trigger = trigger;
  spec.source_id = o.order_id();
  spec.due = fact_time + txn.config().rules.For(trigger).delay;
  spec.message = Compose(txn.config(), trigger, facts);
  return txn.Schedule(spec).status();
}

// Cancels the order's pending touches of `triggers` (superseded by new facts).
absl::Status CancelFor(TouchTxn& txn, const ov1::OrderFacts& o, std::vector<Trigger> triggers,
                       const std::string& why) {
  for (Trigger tr : triggers) {
    ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(TouchId(o.customer_id(), tr, o.order_id())));
    if (t != nullptr && IsPending(*t)) RETURN_IF_ERROR(txn.Cancel(t, why));
  }
  return absl::OkStatus();
}

absl::Time Or(const google::protobuf::Timestamp& ts, bool has, absl::Time fallback) {
  return has ? FromProto(ts) : fallback;
}

// R3 anniversaries: the registration is recorded once (a redelivery or a replay
// never moves it); the first paid order is the earliest payment seen, whatever the
// order in which payments arrive.
void RememberRegistration(store::CustomerState& c, absl::Time at) {
  if (c.registered_ms() == 0) c.set_registered_ms(absl::ToUnixMillis(at));
}
void RememberPayment(store::CustomerState& c, absl::Time at) {
  const int64_t ms = absl::ToUnixMillis(at);
  if (c.first_paid_ms() == 0 || ms < c.first_paid_ms()) c.set_first_paid_ms(ms);
}

}  // namespace

void OrderReactions::Register(EventDispatch<absl::Status>& d) {
  On(d, "revisit.order.customer_registered.v1", &OrderReactions::OnRegistered);
  On(d, "revisit.order.customer_updated.v1", &OrderReactions::OnUpdated);
  On(d, "revisit.order.created.v1", &OrderReactions::OnCreated);
  On(d, "revisit.order.paid.v1", &OrderReactions::OnPaid);
  On(d, "revisit.order.shipped.v1", &OrderReactions::OnShipped);
  On(d, "revisit.order.delivered.v1", &OrderReactions::OnDelivered);
  On(d, "revisit.order.shipment_late.v1", &OrderReactions::OnShipmentLate);
  On(d, "revisit.order.cancelled.v1", &OrderReactions::OnCancelled);
  On(d, "revisit.order.refunded.v1", &OrderReactions::OnRefunded);
}

template <typename Event>
void OrderReactions::On(EventDispatch<absl::Status>& d, const char* ce_type,
                        Reaction<Event> react) const {
  d.On<Event>(ce_type, [this, react](const EventEnvelope& e, const Event& ev) {
    return (this->*react)(e, ev);
  });
}

absl::Status OrderReactions::OnRegistered(const EventEnvelope& e,
                                          const ov1::CustomerRegistered& ev) const {
  return apply_.Apply(e, ev.customer_id(), [&](TouchTxn& txn) {
    SetProfile(txn.customer(), ev.time_zone(), ev.locale(), ev.birthday());
    const absl::Time registered = Or(ev.registered_at(), ev.has_registered_at(), e.time);
    AdoptRegistrationConsent(txn, ev, e.id, registered);
    RememberRegistration(txn.customer(), registered);
    txn.MarkCustomerDirty();
    ArmBirthday(txn);  // R3: one birthday timer per customer
    return absl::OkStatus();
  });
}

absl::Status OrderReactions::OnUpdated(const EventEnvelope& e,
                                       const ov1::CustomerUpdated& ev) const {
  return apply_.Apply(e, ev.customer_id(), [&](TouchTxn& txn) {
    // R6: consents in an update (events from before consent moved) are ignored.
    SetProfile(txn.customer(), ev.time_zone(), ev.locale(), ev.birthday());
    txn.MarkCustomerDirty();
    ArmBirthday(txn);  // R3: one birthday timer per customer
    return absl::OkStatus();
  });
}

absl::Status OrderReactions::OnCreated(const EventEnvelope& e, const ov1::OrderCreated& ev) const {
  const auto& o = ev.order();
  return apply_.Apply(e, o.customer_id(), [&](TouchTxn& txn) {
    Remember(txn.customer(), o);
    txn.MarkCustomerDirty();
    return absl::OkStatus();  // R12: credit waits for payment (order.paid)
  });
}

absl::Status OrderReactions::OnPaid(const EventEnvelope& e, const ov1::OrderPaid& ev) const {
  const auto& o = ev.order();
  return apply_.Apply(e, o.customer_id(), [&](TouchTxn& txn) -> absl::Status {
    // R12: only a paid order is a revisit; it counts from when it was placed, and
    // before the thank-you it triggers (which earns no credit anyway).
    RETURN_IF_ERROR(txn.AttributeRevisit(o.order_id(), Or(o.created_at(), o.has_created_at(), e.time),
                                         o.paid().amount_minor()));
    const absl::Time paid_at = Or(o.paid_at(), o.has_paid_at(), e.time);
    RememberPayment(txn.customer(), paid_at);  // R3 first-purchase anniversary
    return ScheduleFor(txn, v1::TRIGGER_ORDER_THANKS, o, paid_at);
  });
}

absl::Status OrderReactions::OnShipped(const EventEnvelope& e, const ov1::OrderShipped& ev) const {
  const auto& o = ev.order();
  return apply_.Apply(e, o.customer_id(), [&](TouchTxn& txn) {
    return ScheduleFor(txn, v1::TRIGGER_CARE_TIPS, o, Or(o.shipped_at(), o.has_shipped_at(), e.time));
  });
}

absl::Status OrderReactions::OnDelivered(const EventEnvelope& e,
                                         const ov1::OrderDelivered& ev) const {
  const auto& o = ev.order();
  return apply_.Apply(e, o.customer_id(), [&](TouchTxn& txn) {
    return ScheduleFor(txn, v1::TRIGGER_FEEDBACK_REQUEST, o,
                       Or(o.delivered_at(), o.has_delivered_at(), e.time));
  });
}

absl::Status OrderReactions::OnShipmentLate(const EventEnvelope& e,
                                            const ov1::ShipmentLate& ev) const {
  const auto& o = ev.order();
  return apply_.Apply(e, o.customer_id(), [&](TouchTxn& txn) {
    return ScheduleFor(txn, v1::TRIGGER_SHIPMENT_APOLOGY, o, e.time);
  });
}

absl::Status OrderReactions::OnCancelled(const EventEnvelope& e,
                                         const ov1::OrderCancelled& ev) const {
  const auto& o = ev.order();
  return apply_.Apply(e, o.customer_id(), [&](TouchTxn& txn) {
    return CancelFor(txn, o, {v1::TRIGGER_FEEDBACK_REQUEST, v1::TRIGGER_CARE_TIPS},
                     "superseded: order " + o.order_id() + " cancelled");
  });
}

absl::Status OrderReactions::OnRefunded(const EventEnvelope& e,
                                        const ov1::OrderRefunded& ev) const {
  const auto& o = ev.order();
  return apply_.Apply(e, o.customer_id(), [&](TouchTxn& txn) -> absl::Status {
    // R12: a refund within the window takes the revisit credit back.
    RETURN_IF_ERROR(txn.TakeBackRevisit(o.order_id(), ev.refund().refund_id(),
                                        ev.refund().amount().amount_minor(),
                                        o.refunded().amount_minor(), o.paid().amount_minor()));
    return CancelFor(txn, o, {v1::TRIGGER_FEEDBACK_REQUEST},
                     "superseded: order " + o.order_id() + " refunded");
  });
}

}  // namespace revisit::outreach
