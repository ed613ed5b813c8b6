// EventHandler: reactions to the order service's events (O1, O3, R1, R2, R5, R10, R12).
#include "absl/strings/str_cat.h"
#include "common/event_dispatch.h"
#include "common/status.h"
#include "revisit/order/v1/events.pb.h"
#include "services/outreach/event_handler.h"
#include "services/outreach/greetings_scheduler.h"
#include "services/outreach/messages.h"
#include "common/proto_time.h"
#include "services/outreach/touch_ids.h"

namespace revisit::outreach {
namespace {

namespace ov1 = revisit::order::v1;
constexpr int kRecentOrders = 8;

MessageFacts FactsOfOrder(const ov1::OrderFacts& o) {
  MessageFacts m;
  for (const auto& line : o.lines()) {
    m.products.push_back(line.name());
    if (m.category.empty()) m.category = line.category();
  }
  m.order_id = o.order_id();
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

void SetProfile(store::CustomerState& c, const std::string& tz,
                const google::protobuf::RepeatedPtrField<revisit::common::v1::ChannelConsent>& consents,
                const revisit::common::v1::MonthDay& birthday) {
  if (!tz.empty()) c.set_time_zone(tz);
  *c.mutable_consents() = consents;
  *c.mutable_birthday() = birthday;
}

// Schedules the order touch `trigger` at `fact_time` + the rule's delay.
absl::Status ScheduleFor(TouchTxn& txn, Trigger trigger, const ov1::OrderFacts& o,
                         absl::Time fact_time) {
  Remember(txn.customer(), o);
  txn.MarkCustomerDirty();
  TouchSpec spec;
  spec.trigger = trigger;
  spec.source_id = o.order_id();
  spec.due = fact_time + txn.config().rules.For(trigger).delay;
  spec.message = ComposeMessage(trigger, FactsOfOrder(o));
  return txn.Schedule(spec).status();
}

// Cancels the order's pending touches of `triggers` (superseded by new facts).
absl::Status CancelFor(TouchTxn& txn, const ov1::OrderFacts& o, std::vector<Trigger> triggers,
                       const std::string& why) {
  for (Trigger tr : triggers) {
    ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(TouchId(o.customer_id(), tr, o.order_id())));
    if (t != nullptr && IsPending(*t)) txn.Cancel(t, why);
  }
  return absl::OkStatus();
}

absl::Time Or(const google::protobuf::Timestamp& ts, bool has, absl::Time fallback) {
  return has ? FromProto(ts) : fallback;
}

}  // namespace

void EventHandler::OrderHandlers(EventDispatch<absl::Status>& d) {
  d.On<ov1::CustomerRegistered>(
      "revisit.order.customer_registered.v1", [this](const EventEnvelope& e, const ov1::CustomerRegistered& ev) -> absl::Status {
    return Apply(e, ev.customer_id(), [&](TouchTxn& txn) {
      SetProfile(txn.customer(), ev.time_zone(), ev.consents(), ev.birthday());
      txn.MarkCustomerDirty();
      ArmBirthday(txn);  // R3: one birthday timer per customer
      return absl::OkStatus();
    });
  });
  d.On<ov1::CustomerUpdated>(
      "revisit.order.customer_updated.v1", [this](const EventEnvelope& e, const ov1::CustomerUpdated& ev) -> absl::Status {
    return Apply(e, ev.customer_id(), [&](TouchTxn& txn) {
      SetProfile(txn.customer(), ev.time_zone(), ev.consents(), ev.birthday());
      txn.MarkCustomerDirty();
      ArmBirthday(txn);  // R3: one birthday timer per customer
      return absl::OkStatus();
    });
  });
  d.On<ov1::OrderCreated>(
      "revisit.order.created.v1", [this](const EventEnvelope& e, const ov1::OrderCreated& ev) -> absl::Status {
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      Remember(txn.customer(), o);
      txn.MarkCustomerDirty();
      // R12: a new order within the window after a touch is a revisit.
      return txn.AttributeRevisit(o.order_id(), Or(o.created_at(), o.has_created_at(), e.time));
    });
  });
  d.On<ov1::OrderPaid>(
      "revisit.order.paid.v1", [this](const EventEnvelope& e, const ov1::OrderPaid& ev) -> absl::Status {
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return ScheduleFor(txn, v1::TRIGGER_ORDER_THANKS, o, Or(o.paid_at(), o.has_paid_at(), e.time));
    });
  });
  d.On<ov1::OrderShipped>(
      "revisit.order.shipped.v1", [this](const EventEnvelope& e, const ov1::OrderShipped& ev) -> absl::Status {
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return ScheduleFor(txn, v1::TRIGGER_CARE_TIPS, o,
                         Or(o.shipped_at(), o.has_shipped_at(), e.time));
    });
  });
  d.On<ov1::OrderDelivered>(
      "revisit.order.delivered.v1", [this](const EventEnvelope& e, const ov1::OrderDelivered& ev) -> absl::Status {
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return ScheduleFor(txn, v1::TRIGGER_FEEDBACK_REQUEST, o,
                         Or(o.delivered_at(), o.has_delivered_at(), e.time));
    });
  });
  d.On<ov1::ShipmentLate>(
      "revisit.order.shipment_late.v1", [this](const EventEnvelope& e, const ov1::ShipmentLate& ev) -> absl::Status {
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return ScheduleFor(txn, v1::TRIGGER_SHIPMENT_APOLOGY, o, e.time);
    });
  });
  d.On<ov1::OrderCancelled>(
      "revisit.order.cancelled.v1", [this](const EventEnvelope& e, const ov1::OrderCancelled& ev) -> absl::Status {
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return CancelFor(txn, o, {v1::TRIGGER_FEEDBACK_REQUEST, v1::TRIGGER_CARE_TIPS},
                       "superseded: order " + o.order_id() + " cancelled");
    });
  });
  d.On<ov1::OrderRefunded>(
      "revisit.order.refunded.v1", [this](const EventEnvelope& e, const ov1::OrderRefunded& ev) -> absl::Status {
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return CancelFor(txn, o, {v1::TRIGGER_FEEDBACK_REQUEST},
                       "superseded: order " + o.order_id() + " refunded");
    });
  });
}

}  // namespace revisit::outreach
