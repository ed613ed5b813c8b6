// The order service's business decisions, as pure functions: each decider takes the
// order as read, the request (or the timer), the facts the edge gathered (a new
// refund ID, loyalty's perks) and now, and returns the Effects: the order as it
// must be stored, the events to publish and the durable timers to set or cancel.
// The edge (services/order/edge/order_service.cc, order_timers.cc) reads, decides and
// stages the effects in one WriteBatch; nothing here does I/O.
//
// State changes follow the transition table of state.h; money follows money.h
// (refunds never exceed what was paid, C13 exchange pricing); timers: "late:<order>"
// at the same-day cut-off (O3), "complete:<order>" after delivery (auto-complete).
// Thread-safety: pure functions.
// Errors: FAILED_PRECONDITION for an action the order's state does not allow
// (naming state and action); INVALID_ARGUMENT naming the field for a request that
// does not fit the order (amount, signed_at, refund scope).
#ifndef REVISIT_SERVICES_ORDER_DOMAIN_DECIDE_H_
#define REVISIT_SERVICES_ORDER_DOMAIN_DECIDE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

// One event to publish: its name as in ce_type ("paid") and payload.
struct OrderEvent {
  std::string name;
  std::shared_ptr<const google::protobuf::Message> payload;
};

// A durable timer to set at `due`, or to cancel (nullopt).
struct OrderTimer {
  std::string id;
  std::optional<absl::Time> due;
};

// What a decision changes.
struct OrderEffects {
  v1::Order order;
  std::vector<OrderEvent> events;
  std::vector<OrderTimer> timers;
};

// The configured numbers the deciders need.
struct OrderPolicy {
  int ship_cutoff_minutes = 18 * 60;  // O3: same-day shipping cut-off, local time
  absl::TimeZone ship_time_zone = absl::UTCTimeZone();
  absl::Duration auto_complete_after = absl::Hours(24 * 7);
  int64_t shipping_fee_minor = 0;  // L8 shipping fee; an exchange's postage (C14)
};

// What loyalty answered for the parcel (O7); shipping never waits for it.
struct ParcelPerks {
  bool gift_in_parcel = false;
  std::string note;
};

std::string LateTimerId(const std::string& order_id);
// "benefits:<order_id>": tell loyalty what to give back (cancel, refund), due at once
// and retried until loyalty acknowledged (the saga's compensating step, L4).
std::string BenefitsTimerId(const std::string& order_id);
std::string CompleteTimerId(const std::string& order_id);

// O3: the same-day cut-off after `paid_at`: today's if not yet past, else tomorrow's.
absl::Time ShipBy(absl::Time paid_at, int cutoff_minutes, absl::TimeZone tz);

// An order holding vouchers or points (checkout.benefits HELD) is paid only once
// loyalty confirmed the hold (`benefits_confirmed`, asked by the edge first); its
// benefits become CONFIRMED.
absl::StatusOr<OrderEffects> DecidePay(const v1::Order& order, const v1::PayOrderRequest& req,
                                       const OrderPolicy& policy, absl::Time now,
                                       bool benefits_confirmed = false);
absl::StatusOr<OrderEffects> DecideShip(const v1::Order& order, const v1::ShipOrderRequest& req,
                                        const ParcelPerks& perks, absl::Time now);
absl::StatusOr<OrderEffects> DecideDeliver(const v1::Order& order,
                                           const v1::ConfirmDeliveryRequest& req,
                                           const OrderPolicy& policy, absl::Time now);
// `automatic`: the auto-complete timer fired (the event says so).
absl::StatusOr<OrderEffects> DecideComplete(const v1::Order& order, bool automatic,
                                            absl::Time now);
// A paid order's payment is refunded as `refund_id`. Vouchers and points held or
// spent become RELEASED, with the "benefits:" timer (everything goes back, L4).
absl::StatusOr<OrderEffects> DecideCancel(const v1::Order& order, const v1::CancelOrderRequest& req,
                                          const std::string& refund_id, absl::Time now);
// A refund of an order whose benefits were spent sets the "benefits:" timer (points
// back in proportion; everything once refunded in full, then RELEASED).
absl::StatusOr<OrderEffects> DecideRefund(const v1::Order& order, const v1::RefundOrderRequest& req,
                                          const std::string& refund_id, absl::Time now);
// Numbers the lines of a new order "1", "2", ...
void NumberLines(v1::Order& order);

// An exchange (C13 多退少补, C14), settled by exchange.h: like-for-like costs nothing
// whatever the original's discounts; another product settles the list-price
// difference both ways; the postage is paid by whoever is at fault (recorded in the
// replacement's `exchange`). The original records the returned lines as refund
// `refund_id` (of the excess, if any). A replacement with nothing to pay is paid at
// once (the transition table's pay, as DecidePay) and gets the O3 shipping timer.
struct ReplacementEffects {
  OrderEffects original;     // the original, refunded (event "refunded")
  OrderEffects replacement;  // the new order (event "replacement_created")
  int64_t price_difference = 0;  // > 0: the customer pays; < 0: refunded to them
};
absl::StatusOr<ReplacementEffects> DecideReplacement(const v1::Order& original,
                                                     const v1::CreateReplacementOrderRequest& req,
                                                     const std::string& new_id,
                                                     const std::string& refund_id,
                                                     const OrderPolicy& policy, absl::Time now);

// The "late:" timer fired: a paid order not shipped by its cut-off gets an apology
// (O3); any other state decides nothing (nullopt).
std::optional<OrderEffects> DecideLate(const v1::Order& order);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_DOMAIN_DECIDE_H_
