#include "services/loyalty/edge/event_decision.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "common/event_dispatch.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/complaints.h"

namespace revisit::loyalty {
namespace {

namespace ov1 = ::revisit::order::v1;
namespace cv1 = ::revisit::complaint::v1;

// A PreparedEvent before `now` and the rules are bound.
using LateDecision =
    std::function<absl::Status(internal::Account&, Effects&, absl::Time, const LoyaltyRules&)>;
struct Prepared {
  bool applies = false;
  std::string customer_id;
  LateDecision decide;
};
using Table = EventDispatch<absl::StatusOr<Prepared>>;

// Registers `type` with payload M: the customer is `customer_of(payload)` (the
// record key when the payload names none) and the change `apply(account, payload,
// effects, ce_id, now, rules)`. The decision owns a copy of the payload.
template <typename M, typename CustomerOf, typename Apply>
void On(Table& t, const std::string& type, CustomerOf customer_of, Apply apply) {
  t.On<M>(type, [customer_of, apply](const EventEnvelope& e, const M& m) -> absl::StatusOr<Prepared> {
    Prepared p;
    p.applies = true;
    const std::string from_payload = customer_of(m);
    p.customer_id = from_payload.empty() ? e.key : from_payload;
    if (p.customer_id.empty()) {
      return absl::InvalidArgumentError("customer_id: missing in event and key");
    }
    auto msg = std::make_shared<const M>(m);
    p.decide = [msg, apply, id = e.id](internal::Account& a, Effects& fx, absl::Time now,
                                       const LoyaltyRules& r) { return apply(a, *msg, fx, id, now, r); };
    return p;
  });
}

using Account = internal::Account;

// The event types loyalty reacts to (order: customer_registered, completed,
// refunded, cancelled; complaint: resolved, rejected, reopened for L7).
Table Build() {
  Table t;
  auto of_order = [](const auto& m) { return m.order().customer_id(); };
  auto of_complaint = [](const auto& m) { return m.complaint().customer_id(); };
  On<ov1::CustomerRegistered>(
      t, "revisit.order.customer_registered.v1", [](const auto& m) { return m.customer_id(); },
      [](Account& a, const ov1::CustomerRegistered& m, Effects& fx, const std::string&,
         absl::Time now, const LoyaltyRules& r) {
        OnCustomerRegistered(a, m, now, r, fx);
        return absl::OkStatus();
      });
  On<ov1::OrderCompleted>(t, "revisit.order.completed.v1", of_order,
                          [](Account& a, const ov1::OrderCompleted& m, Effects& fx,
                             const std::string& id, absl::Time now, const LoyaltyRules& r) {
                            return OnOrderCompleted(a, m.order(), id, now, r, fx);
                          });
  On<ov1::OrderRefunded>(t, "revisit.order.refunded.v1", of_order,
                         [](Account& a, const ov1::OrderRefunded& m, Effects& fx,
                            const std::string& id, absl::Time now, const LoyaltyRules& r) {
                           return OnOrderRefunded(a, m.order(), m.refund(), id, now, r, fx);
                         });
  On<ov1::OrderCancelled>(t, "revisit.order.cancelled.v1", of_order,
                          [](Account& a, const ov1::OrderCancelled& m, Effects& fx,
                             const std::string& id, absl::Time now, const LoyaltyRules& r) {
                            return OnOrderCancelled(a, m.order(), id, now, r, fx);
                          });
  // L7: compensation granted.
  On<cv1::ComplaintResolved>(t, "revisit.complaint.resolved.v1", of_complaint,
                             [](Account& a, const cv1::ComplaintResolved& m, Effects& fx,
                                const std::string&, absl::Time now, const LoyaltyRules& r) {
                               return OnComplaintResolved(a, m, now, r, fx);
                             });
  // L7, C8: rejected as unreasonable.
  On<cv1::ComplaintRejected>(t, "revisit.complaint.rejected.v1", of_complaint,
                             [](Account& a, const cv1::ComplaintRejected& m, Effects& fx,
                                const std::string&, absl::Time now, const LoyaltyRules& r) {
                               return OnComplaintRejected(a, m, now, r, fx);
                             });
  // A reopened complaint stops counting.
  On<cv1::ComplaintReopened>(t, "revisit.complaint.reopened.v1", of_complaint,
                             [](Account& a, const cv1::ComplaintReopened& m, Effects& fx,
                                const std::string&, absl::Time now, const LoyaltyRules& r) {
                               return OnComplaintReopened(a, m, now, r, fx);
                             });
  return t;
}

}  // namespace

PreparedEvent IgnoredEvent() { return PreparedEvent{}; }

absl::StatusOr<PreparedEvent> PrepareEvent(const EventEnvelope& e, absl::Time now,
                                           const LoyaltyRules& rules) {
  static const Table* const table = new Table(Build());
  absl::StatusOr<Prepared> p = table->Dispatch(e, Prepared{});
  if (!p.ok()) return p.status();
  if (!p->applies) return IgnoredEvent();  // not an event loyalty reacts to
  PreparedEvent out;
  out.applies = true;
  out.customer_id = std::move(p->customer_id);
  out.decide = [d = std::move(p->decide), now, r = &rules](Account& a, Effects& fx) {
    return d(a, fx, now, *r);
  };
  return out;
}

}  // namespace revisit::loyalty
