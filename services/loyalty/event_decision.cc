#include "services/loyalty/event_decision.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/event_type.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/account.h"
#include "services/loyalty/complaints.h"

namespace revisit::loyalty {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;

// "revisit.order.completed.v1" -> "order.completed" (version 1 only).
std::string ShortType(const std::string& type) {
  std::optional<EventType> t = ParseEventType(type);
  if (!t || t->version != 1) return "";
  return absl::StrCat(t->service, ".", t->event);
}

// Parses the payload into a shared M (the decision keeps it alive).
template <typename M>
absl::StatusOr<std::shared_ptr<const M>> Parse(const EventEnvelope& e) {
  auto msg = std::make_shared<M>();
  if (!msg->ParseFromString(e.payload)) {
    return absl::InvalidArgumentError(absl::StrCat("payload of ", e.type, " does not parse"));
  }
  return std::shared_ptr<const M>(std::move(msg));
}

PreparedEvent Applying(const std::string& from_payload, const EventEnvelope& e,
                       AccountDecision decide) {
  PreparedEvent p;
  p.applies = true;
  p.customer_id = from_payload.empty() ? e.key : from_payload;
  p.decide = std::move(decide);
  return p;
}

}  // namespace

PreparedEvent IgnoredEvent() { return PreparedEvent{}; }

absl::StatusOr<PreparedEvent> PrepareEvent(const EventEnvelope& e, absl::Time now,
                                           const LoyaltyRules& rules) {
  const std::string type = ShortType(e.type);
  const LoyaltyRules* r = &rules;
  const std::string id = e.id;
  PreparedEvent p;
  if (type == "order.customer_registered") {
    auto reg = Parse<ov1::CustomerRegistered>(e);
    if (!reg.ok()) return reg.status();
    p = Applying((*reg)->customer_id(), e, [reg = *reg, now, r](internal::Account& a, Effects& fx) {
      OnCustomerRegistered(a, *reg, now, *r, fx);
      return absl::OkStatus();
    });
  } else if (type == "order.completed") {
    auto ev = Parse<ov1::OrderCompleted>(e);
    if (!ev.ok()) return ev.status();
    p = Applying((*ev)->order().customer_id(), e,
                 [ev = *ev, id, now, r](internal::Account& a, Effects& fx) {
                   return OnOrderCompleted(a, ev->order(), id, now, *r, fx);
                 });
  } else if (type == "order.refunded") {
    auto ev = Parse<ov1::OrderRefunded>(e);
    if (!ev.ok()) return ev.status();
    p = Applying((*ev)->order().customer_id(), e,
                 [ev = *ev, id, now, r](internal::Account& a, Effects& fx) {
                   return OnOrderRefunded(a, ev->order(), ev->refund(), id, now, *r, fx);
                 });
  } else if (type == "order.cancelled") {
    auto ev = Parse<ov1::OrderCancelled>(e);
    if (!ev.ok()) return ev.status();
    p = Applying((*ev)->order().customer_id(), e,
                 [ev = *ev, id, now, r](internal::Account& a, Effects& fx) {
                   return OnOrderCancelled(a, ev->order(), id, now, *r, fx);
                 });
  } else if (type == "complaint.resolved") {  // L7: compensation granted
    auto ev = Parse<cv1::ComplaintResolved>(e);
    if (!ev.ok()) return ev.status();
    p = Applying((*ev)->complaint().customer_id(), e,
                 [ev = *ev, now, r](internal::Account& a, Effects& fx) {
                   return OnComplaintResolved(a, *ev, now, *r, fx);
                 });
  } else if (type == "complaint.rejected") {  // L7, C8: rejected as unreasonable
    auto ev = Parse<cv1::ComplaintRejected>(e);
    if (!ev.ok()) return ev.status();
    p = Applying((*ev)->complaint().customer_id(), e,
                 [ev = *ev, now, r](internal::Account& a, Effects& fx) {
                   return OnComplaintRejected(a, *ev, now, *r, fx);
                 });
  } else if (type == "complaint.reopened") {  // a reopened complaint stops counting
    auto ev = Parse<cv1::ComplaintReopened>(e);
    if (!ev.ok()) return ev.status();
    p = Applying((*ev)->complaint().customer_id(), e,
                 [ev = *ev, now, r](internal::Account& a, Effects& fx) {
                   return OnComplaintReopened(a, *ev, now, *r, fx);
                 });
  } else {
    return IgnoredEvent();  // not an event loyalty reacts to
  }
  if (p.customer_id.empty()) {
    return absl::InvalidArgumentError("customer_id: missing in event and key");
  }
  return p;
}

}  // namespace revisit::loyalty
