// The order state machine as a transition table, pure code:
//
//   from \ action   pay   ship     deliver    complete   cancel     refund  replace
//   created         paid  -        -          -          cancelled  -       -
//   paid            -     shipped  -          -          cancelled  paid    -
//   shipped         -     -        delivered  -          -          shipped -
//   delivered       -     -        -          completed  -          (same)  (same)
//   completed       -     -        -          -          -          (same)  (same)
//   cancelled       -     -        -          -          -          -       -
//
// Cancel only before shipment (a paid order's payment is refunded); refunds come
// after payment in every state but cancelled and keep the state; a replacement (an
// exchange, C13 多退少补) from delivered or completed keeps the state.
// Thread-safety: pure functions.
// Errors: FAILED_PRECONDITION naming the current state and the refused action.
#ifndef REVISIT_SERVICES_ORDER_DOMAIN_STATE_H_
#define REVISIT_SERVICES_ORDER_DOMAIN_STATE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

using v1::OrderState;

enum class OrderAction { kPay, kShip, kDeliver, kComplete, kCancel, kRefund, kReplace };

// One row of the table: `action` from `from` leads to `to`.
struct OrderTransition {
  OrderState from;
  OrderAction action;
  OrderState to;
};

// Every allowed transition; anything not listed is refused.
const std::vector<OrderTransition>& OrderTransitions();

// "pay", "ship", ... as used in error messages.
std::string ActionName(OrderAction action);
// "created", "paid", ...
std::string StateName(OrderState state);

// The state after `action` from `from`, or FAILED_PRECONDITION.
absl::StatusOr<OrderState> Transition(OrderState from, OrderAction action);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_DOMAIN_STATE_H_
