#include "services/order/domain/state.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace revisit::order {

const std::vector<OrderTransition>& OrderTransitions() {
  using A = OrderAction;
  constexpr OrderState kCreated = v1::ORDER_STATE_CREATED, kPaid = v1::ORDER_STATE_PAID,
                       kShipped = v1::ORDER_STATE_SHIPPED, kDelivered = v1::ORDER_STATE_DELIVERED,
                       kCompleted = v1::ORDER_STATE_COMPLETED, kCancelled = v1::ORDER_STATE_CANCELLED;
  static const auto* table = new std::vector<OrderTransition>{
      {kCreated, A::kPay, kPaid},
      {kPaid, A::kShip, kShipped},
      {kShipped, A::kDeliver, kDelivered},
      {kDelivered, A::kComplete, kCompleted},
      {kCreated, A::kCancel, kCancelled},
      {kPaid, A::kCancel, kCancelled},
      {kPaid, A::kRefund, kPaid},
      {kShipped, A::kRefund, kShipped},
      {kDelivered, A::kRefund, kDelivered},
      {kCompleted, A::kRefund, kCompleted},
      {kDelivered, A::kReplace, kDelivered},
      {kCompleted, A::kReplace, kCompleted},
  };
  return *table;
}

std::string ActionName(OrderAction action) {
  switch (action) {
    case OrderAction::kPay: return "pay";
    case OrderAction::kShip: return "ship";
    case OrderAction::kDeliver: return "confirm delivery";
    case OrderAction::kComplete: return "complete";
    case OrderAction::kCancel: return "cancel";
    case OrderAction::kRefund: return "refund";
    case OrderAction::kReplace: return "create a replacement for";
  }
  return "?";
}

std::string StateName(OrderState state) {
  absl::string_view name = v1::OrderState_Name(state);
  absl::ConsumePrefix(&name, "ORDER_STATE_");
  return absl::AsciiStrToLower(name);
}

absl::StatusOr<OrderState> Transition(OrderState from, OrderAction action) {
  for (const OrderTransition& t : OrderTransitions()) {
    if (t.from == from && t.action == action) return t.to;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", ActionName(action), " an order that is ", StateName(from)));
}

}  // namespace revisit::order
