// EventHandler: reactions to the order service's events (O1, O3, R1, R2, R5, R10, R12).
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "revisit/order/v1/events.pb.h"
#include "services/outreach/event_handler.h"
#include "services/outreach/greetings_scheduler.h"
#include "services/outreach/messages.h"
#include "services/outreach/time_util.h"
#include "services/outreach/touch_ids.h"

namespace revisit::outreach {
namespace {

namespace ov1 = revisit::order::v1;
constexpr int kRecentOrders = 8;

template <typename T>
absl::StatusOr<T> Parse(const EventEnvelope& e) {
  T msg;
  if (!msg.ParseFromString(e.payload))
    return absl::InvalidArgumentError(absl::StrCat("payload of ", e.type, " ", e.id,
                                                   " does not parse as ", T::descriptor()->full_name()));
  return msg;
}

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
  return has ? FromTs(ts) : fallback;
}

}  // namespace

absl::Status EventHandler::HandleOrder(const std::string& kind, const EventEnvelope& e) {
  if (kind == "customer_registered") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::CustomerRegistered>(e));
    return Apply(e, ev.customer_id(), [&](TouchTxn& txn) {
      SetProfile(txn.customer(), ev.time_zone(), ev.consents(), ev.birthday());
      txn.MarkCustomerDirty();
      ArmBirthday(txn);  // R3: one birthday timer per customer
      return absl::OkStatus();
    });
  }
  if (kind == "customer_updated") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::CustomerUpdated>(e));
    return Apply(e, ev.customer_id(), [&](TouchTxn& txn) {
      SetProfile(txn.customer(), ev.time_zone(), ev.consents(), ev.birthday());
      txn.MarkCustomerDirty();
      ArmBirthday(txn);  // R3: one birthday timer per customer
      return absl::OkStatus();
    });
  }
  if (kind == "created") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::OrderCreated>(e));
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      Remember(txn.customer(), o);
      txn.MarkCustomerDirty();
      // R12: a new order within the window after a touch is a revisit.
      return txn.AttributeRevisit(o.order_id(), Or(o.created_at(), o.has_created_at(), e.time));
    });
  }
  if (kind == "paid") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::OrderPaid>(e));
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return ScheduleFor(txn, v1::TRIGGER_ORDER_THANKS, o, Or(o.paid_at(), o.has_paid_at(), e.time));
    });
  }
  if (kind == "shipped") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::OrderShipped>(e));
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return ScheduleFor(txn, v1::TRIGGER_CARE_TIPS, o,
                         Or(o.shipped_at(), o.has_shipped_at(), e.time));
    });
  }
  if (kind == "delivered") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::OrderDelivered>(e));
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return ScheduleFor(txn, v1::TRIGGER_FEEDBACK_REQUEST, o,
                         Or(o.delivered_at(), o.has_delivered_at(), e.time));
    });
  }
  if (kind == "shipment_late") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::ShipmentLate>(e));
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return ScheduleFor(txn, v1::TRIGGER_SHIPMENT_APOLOGY, o, e.time);
    });
  }
  if (kind == "cancelled") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::OrderCancelled>(e));
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return CancelFor(txn, o, {v1::TRIGGER_FEEDBACK_REQUEST, v1::TRIGGER_CARE_TIPS},
                       "superseded: order " + o.order_id() + " cancelled");
    });
  }
  if (kind == "refunded") {
    ASSIGN_OR_RETURN(auto ev, Parse<ov1::OrderRefunded>(e));
    const auto& o = ev.order();
    return Apply(e, o.customer_id(), [&](TouchTxn& txn) {
      return CancelFor(txn, o, {v1::TRIGGER_FEEDBACK_REQUEST},
                       "superseded: order " + o.order_id() + " refunded");
    });
  }
  return absl::OkStatus();
}

}  // namespace revisit::outreach
