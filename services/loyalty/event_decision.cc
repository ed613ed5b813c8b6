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

// Parses the payload as M and prepares `apply(account, payload, effects)` for the
// customer `customer_of(payload)` names (the record key when the payload names none).
// The decision owns the parsed payload.
template <typename M, typename CustomerOf, typename Apply>
absl::StatusOr<PreparedEvent> Prepare(const EventEnvelope& e, CustomerOf customer_of,
                                      Apply apply) {
  auto msg = std::make_shared<M>();
  if (!msg->ParseFromString(e.payload)) {
    return absl::InvalidArgumentError(absl::StrCat("payload of ", e.type, " does not parse"));
  }
  PreparedEvent p;
  p.applies = true;
  const std::string from_payload = customer_of(*msg);
  p.customer_id = from_payload.empty() ? e.key : from_payload;
  if (p.customer_id.empty()) {
    return absl::InvalidArgumentError("customer_id: missing in event and key");
  }
  p.decide = [msg = std::shared_ptr<const M>(std::move(msg)), apply](internal::Account& a,
                                                                      Effects& fx) {
    return apply(a, *msg, fx);
  };
  return p;
}

}  // namespace

PreparedEvent IgnoredEvent() { return PreparedEvent{}; }

absl::StatusOr<PreparedEvent> PrepareEvent(const EventEnvelope& e, absl::Time now,
                                           const LoyaltyRules& rules) {
  const std::string type = ShortType(e.type);
  const LoyaltyRules* r = &rules;
  const std::string id = e.id;
  auto of_order = [](const auto& m) { return m.order().customer_id(); };
  auto of_complaint = [](const auto& m) { return m.complaint().customer_id(); };
  using Account = internal::Account;
  if (type == "order.customer_registered") {
    return Prepare<ov1::CustomerRegistered>(
        e, [](const auto& m) { return m.customer_id(); },
        [now, r](Account& a, const ov1::CustomerRegistered& m, Effects& fx) {
          OnCustomerRegistered(a, m, now, *r, fx);
          return absl::OkStatus();
        });
  }
  if (type == "order.completed") {
    return Prepare<ov1::OrderCompleted>(
        e, of_order, [id, now, r](Account& a, const ov1::OrderCompleted& m, Effects& fx) {
          return OnOrderCompleted(a, m.order(), id, now, *r, fx);
        });
  }
  if (type == "order.refunded") {
    return Prepare<ov1::OrderRefunded>(
        e, of_order, [id, now, r](Account& a, const ov1::OrderRefunded& m, Effects& fx) {
          return OnOrderRefunded(a, m.order(), m.refund(), id, now, *r, fx);
        });
  }
  if (type == "order.cancelled") {
    return Prepare<ov1::OrderCancelled>(
        e, of_order, [id, now, r](Account& a, const ov1::OrderCancelled& m, Effects& fx) {
          return OnOrderCancelled(a, m.order(), id, now, *r, fx);
        });
  }
  if (type == "complaint.resolved") {  // L7: compensation granted
    return Prepare<cv1::ComplaintResolved>(
        e, of_complaint, [now, r](Account& a, const cv1::ComplaintResolved& m, Effects& fx) {
          return OnComplaintResolved(a, m, now, *r, fx);
        });
  }
  if (type == "complaint.rejected") {  // L7, C8: rejected as unreasonable
    return Prepare<cv1::ComplaintRejected>(
        e, of_complaint, [now, r](Account& a, const cv1::ComplaintRejected& m, Effects& fx) {
          return OnComplaintRejected(a, m, now, *r, fx);
        });
  }
  if (type == "complaint.reopened") {  // a reopened complaint stops counting
    return Prepare<cv1::ComplaintReopened>(
        e, of_complaint, [now, r](Account& a, const cv1::ComplaintReopened& m, Effects& fx) {
          return OnComplaintReopened(a, m, now, *r, fx);
        });
  }
  return IgnoredEvent();  // not an event loyalty reacts to
}

}  // namespace revisit::loyalty
