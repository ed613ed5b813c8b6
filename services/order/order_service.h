// OrderServiceImpl: the gRPC surface of the order service (proto
// revisit.order.v1.OrderService). Every mutating RPC validates every field
// (INVALID_ARGUMENT naming field and rule), runs through RunIdempotent keyed by its
// request_id (a repeat returns the first answer and changes nothing), decides with
// the pure deciders of domain/decide.h, and stages their effects (state + events +
// timers) in one WriteBatch (StageOrder). HandleTimer runs the durable timers it schedules: auto-completion
// after delivery and the O3 same-day shipping deadline (ShipmentLate). ShipOrder
// asks loyalty for O7 perks once per RPC, before the retry loop (a repeat: never).
// Thread-safety: thread-safe; gRPC calls handlers concurrently.
#ifndef REVISIT_SERVICES_ORDER_ORDER_SERVICE_H_
#define REVISIT_SERVICES_ORDER_ORDER_SERVICE_H_

#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/timer_queue.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "revisit/order/v1/order.grpc.pb.h"
#include "services/order/order_config.h"
#include "services/order/order_store.h"
#include "services/order/edge/customer_finder.h"
#include "services/order/store/lookup_index.h"
#include "services/order/domain/pricing.h"

namespace revisit::order {

// The order ID of a CreateOrder: derived from the customer and request_id (FNV-1a),
// so a retry after a crash between reserving benefits and storing finds its hold.
std::string CheckoutOrderId(int shard, const std::string& customer_id, const std::string& request_id);

class OrderServiceImpl final : public v1::OrderService::Service {
 public:
  OrderServiceImpl(const OrderConfig& config, RedisClient& redis, const Clock& clock);

  grpc::Status CreateCustomer(grpc::ServerContext*, const v1::CreateCustomerRequest*, v1::CreateCustomerResponse*) override;
  grpc::Status UpdateCustomer(grpc::ServerContext*, const v1::UpdateCustomerRequest*, v1::UpdateCustomerResponse*) override;
  grpc::Status GetCustomer(grpc::ServerContext*, const v1::GetCustomerRequest*, v1::GetCustomerResponse*) override;
  grpc::Status CreateOrder(grpc::ServerContext*, const v1::CreateOrderRequest*, v1::CreateOrderResponse*) override;
  grpc::Status PayOrder(grpc::ServerContext*, const v1::PayOrderRequest*, v1::PayOrderResponse*) override;
  grpc::Status ShipOrder(grpc::ServerContext*, const v1::ShipOrderRequest*, v1::ShipOrderResponse*) override;
  grpc::Status ConfirmDelivery(grpc::ServerContext*, const v1::ConfirmDeliveryRequest*, v1::ConfirmDeliveryResponse*) override;
  grpc::Status CompleteOrder(grpc::ServerContext*, const v1::CompleteOrderRequest*, v1::CompleteOrderResponse*) override;
  grpc::Status CancelOrder(grpc::ServerContext*, const v1::CancelOrderRequest*, v1::CancelOrderResponse*) override;
  grpc::Status RefundOrder(grpc::ServerContext*, const v1::RefundOrderRequest*, v1::RefundOrderResponse*) override;
  grpc::Status CreateReplacementOrder(grpc::ServerContext*, const v1::CreateReplacementOrderRequest*, v1::CreateReplacementOrderResponse*) override;
  grpc::Status GetOrder(grpc::ServerContext*, const v1::GetOrderRequest*, v1::GetOrderResponse*) override;
  grpc::Status ListOrders(grpc::ServerContext*, const v1::ListOrdersRequest*, v1::ListOrdersResponse*) override;
  grpc::Status RecordPromise(grpc::ServerContext*, const v1::RecordPromiseRequest*, v1::RecordPromiseResponse*) override;
  grpc::Status ListPromises(grpc::ServerContext*, const v1::ListPromisesRequest*, v1::ListPromisesResponse*) override;
  // O2: by phone, e-mail or tracking number (edge/customer_finder.h).
  grpc::Status FindCustomers(grpc::ServerContext*, const v1::FindCustomersRequest*, v1::FindCustomersResponse*) override;

  // Fires an order timer ("complete:<order_id>" or "late:<order_id>").
  absl::Status HandleTimer(const DueTimer& timer);

 private:
  // A decider (domain/decide.h) bound to its request: the order as read, its shard
  // and now in; the effects out.
  using OrderDecider =
      std::function<absl::StatusOr<OrderEffects>(const v1::Order&, int shard, absl::Time now)>;
  // Read-decide-stage of one existing order under `method`'s request_id (RunIdempotent).
  // `first_read`, when given, is the order as already read by the caller: the first
  // attempt decides on it (no second read); a retry after ABORTED reads afresh.
  absl::Status MutateOrder(const std::string& method, const google::protobuf::Message& request,
                           const std::string& request_id, const std::string& order_id,
                           google::protobuf::Message* response, const OrderDecider& decide,
                           std::optional<Versioned<v1::Order>> first_read = std::nullopt);
  OrderPolicy Policy() const;
  absl::StatusOr<v1::Order> PlaceOrder(const v1::CreateOrderRequest& req, const std::string& order_id,
                                       int shard, WriteBatch& batch, const CheckoutFacts& facts);
  // Checkout saga (order_checkout.cc, L4/L8): reserve the request's vouchers and
  // points with loyalty (or learn about free shipping) before the order is stored;
  // confirm before it is paid; give back by the "benefits:" timer.
  absl::StatusOr<CheckoutFacts> GatherCheckout(const v1::CreateOrderRequest& req,
                                               const std::string& order_id);
  absl::Status ConfirmBenefits(const v1::Order& order);
  absl::Status SyncBenefits(const std::string& order_id);
  absl::Status CancelUnpaid(const std::string& order_id);
  void ReleaseAfterFailure(const std::string& order_id, const std::string& customer_id,
                           const std::string& why);
  // The open next-purchase discount (O5) a new order of `customer_id` would get.
  absl::StatusOr<int64_t> PromisedDiscount(const std::string& customer_id, const std::string& currency);
  absl::StatusOr<bool> FreeShipping(const std::string& customer_id, const std::string& order_id,
                                    std::string* reason);
  // O7: what loyalty grants a shipment, or why there is nothing (never an error).
  ParcelPerks AskPerks(const std::string& customer_id, const std::string& order_id);
  absl::Status Ship(const v1::ShipOrderRequest& req, v1::ShipOrderResponse* resp);
  absl::Status AutoComplete(const std::string& order_id, const DueTimer& timer);
  absl::Status NotifyLate(const std::string& order_id, const DueTimer& timer);

  const OrderConfig& config_;
  OrderStore store_;
  // O2: the hashed lookup indexes, staged with every customer and order write.
  LookupIndex index_;
  CustomerFinder finder_;
  const Clock& clock_;
  std::unique_ptr<loyalty::v1::LoyaltyService::Stub> loyalty_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_ORDER_SERVICE_H_
