// OrderServiceImpl: the gRPC surface of the order service (proto
// revisit.order.v1.OrderService) and the entry point of its timers. It delegates each
// concern to one class (one .h/.cc pair each, edge/):
//   OrderCommands     read-decide-stage of one order under a request_id;
//   OrderCreation     CreateOrder (O5, O6, checkout) and CreateReplacementOrder (C13);
//   OrderCheckout     the checkout saga with loyalty (L4, L8);
//   OrderShipping     ShipOrder with the O7 perks asked once per RPC;
//   OrderTimers       auto-completion, the O3 late shipment, the "benefits:" timer;
//   CustomerHandlers  the customer archive (O2), promises (O5, O8), listings;
//   CustomerFinder    FindCustomers by phone, e-mail or tracking number (O2).
// The RPCs that are one decider on one order (pay, deliver, complete, cancel, refund)
// and GetOrder live in order_service.cc. Every mutating RPC validates every field
// (INVALID_ARGUMENT naming field and rule), runs under its request_id (a repeat
// returns the first answer and changes nothing), decides with the pure deciders of
// domain/decide.h, and stages their effects (state + events + timers) in one
// WriteBatch (StageOrder).
// Thread-safety: thread-safe; gRPC calls handlers concurrently.
#ifndef REVISIT_SERVICES_ORDER_EDGE_ORDER_SERVICE_H_
#define REVISIT_SERVICES_ORDER_EDGE_ORDER_SERVICE_H_

#include <memory>

#include "common/callback_handlers.h"
#include "common/clock.h"
#include "common/timer_queue.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "services/order/edge/customer_finder.h"
#include "services/order/edge/customer_handlers.h"
#include "services/order/edge/order_checkout.h"
#include "services/order/edge/order_commands.h"
#include "services/order/edge/order_create.h"
#include "services/order/edge/order_shipping.h"
#include "services/order/edge/order_timers.h"
#include "services/order/order_config.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

class OrderServiceImpl final : public v1::OrderService::CallbackService, public CallbackHandlers {
 public:
  OrderServiceImpl(const OrderConfig& config, RedisClient& redis, const Clock& clock);

  REVISIT_UNARY_RPC(CreateCustomer, v1::CreateCustomerRequest, v1::CreateCustomerResponse)
  REVISIT_UNARY_RPC(UpdateCustomer, v1::UpdateCustomerRequest, v1::UpdateCustomerResponse)
  REVISIT_UNARY_RPC(GetCustomer, v1::GetCustomerRequest, v1::GetCustomerResponse)
  REVISIT_UNARY_RPC(CreateOrder, v1::CreateOrderRequest, v1::CreateOrderResponse)
  REVISIT_UNARY_RPC(PayOrder, v1::PayOrderRequest, v1::PayOrderResponse)
  REVISIT_UNARY_RPC(ShipOrder, v1::ShipOrderRequest, v1::ShipOrderResponse)
  REVISIT_UNARY_RPC(ConfirmDelivery, v1::ConfirmDeliveryRequest, v1::ConfirmDeliveryResponse)
  REVISIT_UNARY_RPC(CompleteOrder, v1::CompleteOrderRequest, v1::CompleteOrderResponse)
  REVISIT_UNARY_RPC(CancelOrder, v1::CancelOrderRequest, v1::CancelOrderResponse)
  REVISIT_UNARY_RPC(RefundOrder, v1::RefundOrderRequest, v1::RefundOrderResponse)
  REVISIT_UNARY_RPC(CreateReplacementOrder, v1::CreateReplacementOrderRequest, v1::CreateReplacementOrderResponse)
  REVISIT_UNARY_RPC(GetOrder, v1::GetOrderRequest, v1::GetOrderResponse)
  REVISIT_UNARY_RPC(ListOrders, v1::ListOrdersRequest, v1::ListOrdersResponse)
  REVISIT_UNARY_RPC(RecordPromise, v1::RecordPromiseRequest, v1::RecordPromiseResponse)
  REVISIT_UNARY_RPC(ListPromises, v1::ListPromisesRequest, v1::ListPromisesResponse)
  REVISIT_UNARY_RPC(FindCustomers, v1::FindCustomersRequest, v1::FindCustomersResponse)

  // Fires an order timer ("complete:<order_id>" or "late:<order_id>").
  absl::Status HandleTimer(const DueTimer& timer);

 private:
  const OrderConfig& config_;
  OrderStore store_;
  const Clock& clock_;
  std::unique_ptr<loyalty::v1::LoyaltyService::Stub> loyalty_;  // null: not configured
  OrderCommands commands_;
  OrderCheckout checkout_;
  OrderCreation creation_;
  OrderShipping shipping_;
  OrderTimers timers_;
  CustomerHandlers customers_;
  CustomerFinder finder_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_ORDER_SERVICE_H_
