#include "services/order/domain/state.h"

#include <map>
#include <utility>

#include <gtest/gtest.h>

namespace revisit::order {
namespace {

using S = v1::OrderState;
using A = OrderAction;

// Every legal (state, action) pair and its result; everything else is refused.
const std::map<std::pair<S, A>, S>& Legal() {
  static const auto* legal = new std::map<std::pair<S, A>, S>{
      {{S::ORDER_STATE_CREATED, A::kPay}, S::ORDER_STATE_PAID},
      {{S::ORDER_STATE_CREATED, A::kCancel}, S::ORDER_STATE_CANCELLED},
      {{S::ORDER_STATE_PAID, A::kShip}, S::ORDER_STATE_SHIPPED},
      {{S::ORDER_STATE_PAID, A::kCancel}, S::ORDER_STATE_CANCELLED},
      {{S::ORDER_STATE_PAID, A::kRefund}, S::ORDER_STATE_PAID},
      {{S::ORDER_STATE_SHIPPED, A::kDeliver}, S::ORDER_STATE_DELIVERED},
      {{S::ORDER_STATE_SHIPPED, A::kRefund}, S::ORDER_STATE_SHIPPED},
      {{S::ORDER_STATE_DELIVERED, A::kComplete}, S::ORDER_STATE_COMPLETED},
      {{S::ORDER_STATE_DELIVERED, A::kRefund}, S::ORDER_STATE_DELIVERED},
      {{S::ORDER_STATE_DELIVERED, A::kReplace}, S::ORDER_STATE_DELIVERED},
      {{S::ORDER_STATE_COMPLETED, A::kRefund}, S::ORDER_STATE_COMPLETED},
      {{S::ORDER_STATE_COMPLETED, A::kReplace}, S::ORDER_STATE_COMPLETED},
  };
  return *legal;
}

TEST(OrderStateTest, EveryStateActionPair) {
  const S states[] = {S::ORDER_STATE_CREATED, S::ORDER_STATE_PAID, S::ORDER_STATE_SHIPPED,
                      S::ORDER_STATE_DELIVERED, S::ORDER_STATE_COMPLETED,
                      S::ORDER_STATE_CANCELLED};
  const A actions[] = {A::kPay, A::kShip, A::kDeliver, A::kComplete,
                       A::kCancel, A::kRefund, A::kReplace};
  int checked = 0;
  for (S s : states) {
    for (A a : actions) {
      auto got = Transition(s, a);
      auto it = Legal().find({s, a});
      if (it != Legal().end()) {
        ASSERT_TRUE(got.ok()) << StateName(s) << " / " << ActionName(a);
        EXPECT_EQ(*got, it->second);
      } else {
        ASSERT_FALSE(got.ok()) << StateName(s) << " / " << ActionName(a);
        EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
        // The message names the action and the current state.
        EXPECT_NE(got.status().message().find(ActionName(a)), std::string::npos);
        EXPECT_NE(got.status().message().find(StateName(s)), std::string::npos);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 42);
}

TEST(OrderStateTest, CancelAfterShipmentNamesState) {
  auto got = Transition(S::ORDER_STATE_SHIPPED, A::kCancel);
  EXPECT_EQ(got.status().message(), "cannot cancel an order that is shipped");
}

}  // namespace
}  // namespace revisit::order
