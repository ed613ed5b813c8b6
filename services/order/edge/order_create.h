// OrderCreation: CreateOrder (with the O5 promised discount applied without being
// asked, exactly once, the O6 gift card signed by the buyer, and the checkout saga's
// reservation, order_checkout.h) and CreateReplacementOrder for exchanges (C13
// 多退少补, C14 who pays the postage). Each runs under its request_id: a repeat
// returns the first answer (and makes no new hold).
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT naming the field and the rule (domain/validation.h),
// NOT_FOUND for an unknown customer or original order, the checkout's loyalty
// errors (order_checkout.h), FAILED_PRECONDITION when the exchange is not allowed.
#ifndef REVISIT_SERVICES_ORDER_EDGE_ORDER_CREATE_H_
#define REVISIT_SERVICES_ORDER_EDGE_ORDER_CREATE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/write_batch.h"
#include "services/order/domain/pricing.h"
#include "services/order/edge/order_checkout.h"
#include "services/order/edge/order_commands.h"
#include "services/order/order_config.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

class OrderCreation {
 public:
  // Not owned; all must outlive this.
  OrderCreation(const OrderConfig& config, OrderStore& store, OrderCommands& commands,
                OrderCheckout& checkout, const Clock& clock);

  absl::Status Create(const v1::CreateOrderRequest& req, v1::CreateOrderResponse* resp);
  absl::Status CreateReplacement(const v1::CreateReplacementOrderRequest& req,
                                 v1::CreateReplacementOrderResponse* resp);

 private:
  // Stages the new order decided on `basis` (the customer and its promises).
  absl::StatusOr<v1::Order> PlaceOrder(const v1::CreateOrderRequest& req, const std::string& order_id,
                                       int shard, WriteBatch& batch, const CheckoutFacts& facts,
                                       const CheckoutBasis& basis);

  const OrderConfig& config_;
  OrderStore& store_;
  OrderCommands& commands_;
  OrderCheckout& checkout_;
  const Clock& clock_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_ORDER_CREATE_H_
