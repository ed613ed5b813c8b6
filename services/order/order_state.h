// The order state machine (DOMAIN.md "Order states"), as pure code.
//
//   created → paid → shipped → delivered → completed
//   cancel: from created or paid only (O: "cancelled before shipment, refund if paid")
//   refund: after payment, in every state but cancelled (refunds come from
//           complaint resolutions); the state does not change
//   replace: from delivered or completed (an exchange, C13 多退少补)
// Thread-safety: pure functions.
// Errors: FAILED_PRECONDITION naming the current state and the refused action.
#ifndef REVISIT_SERVICES_ORDER_ORDER_STATE_H_
#define REVISIT_SERVICES_ORDER_ORDER_STATE_H_

#include <string>

#include "absl/status/statusor.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

using v1::OrderState;

enum class OrderAction { kPay, kShip, kDeliver, kComplete, kCancel, kRefund, kReplace };

// "pay", "ship", ... as used in error messages.
std::string ActionName(OrderAction action);
// "created", "paid", ...
std::string StateName(OrderState state);

// The state after `action` from `from`, or FAILED_PRECONDITION.
absl::StatusOr<OrderState> Transition(OrderState from, OrderAction action);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_ORDER_STATE_H_
