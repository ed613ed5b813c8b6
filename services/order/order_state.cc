#include "services/order/order_state.h"

#include "absl/strings/ascii.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"

namespace revisit::order {

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
  using S = OrderState;
  auto next = [&]() -> S {
    switch (action) {
      case OrderAction::kPay: return from == S::ORDER_STATE_CREATED ? S::ORDER_STATE_PAID : S::ORDER_STATE_UNSPECIFIED;
      case OrderAction::kShip: return from == S::ORDER_STATE_PAID ? S::ORDER_STATE_SHIPPED : S::ORDER_STATE_UNSPECIFIED;
      case OrderAction::kDeliver: return from == S::ORDER_STATE_SHIPPED ? S::ORDER_STATE_DELIVERED : S::ORDER_STATE_UNSPECIFIED;
      case OrderAction::kComplete: return from == S::ORDER_STATE_DELIVERED ? S::ORDER_STATE_COMPLETED : S::ORDER_STATE_UNSPECIFIED;
      case OrderAction::kCancel:
        return (from == S::ORDER_STATE_CREATED || from == S::ORDER_STATE_PAID) ? S::ORDER_STATE_CANCELLED : S::ORDER_STATE_UNSPECIFIED;
      case OrderAction::kRefund:
        return (from == S::ORDER_STATE_PAID || from == S::ORDER_STATE_SHIPPED ||
                from == S::ORDER_STATE_DELIVERED || from == S::ORDER_STATE_COMPLETED) ? from : S::ORDER_STATE_UNSPECIFIED;
      case OrderAction::kReplace:
        return (from == S::ORDER_STATE_DELIVERED || from == S::ORDER_STATE_COMPLETED) ? from : S::ORDER_STATE_UNSPECIFIED;
    }
    return S::ORDER_STATE_UNSPECIFIED;
  }();
  if (next == S::ORDER_STATE_UNSPECIFIED) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot ", ActionName(action), " an order that is ", StateName(from)));
  }
  return next;
}

}  // namespace revisit::order
