// OrderServiceImpl (order_service.h): the one-decider order RPCs, and the rest handed
// to their classes.
#include "services/order/edge/order_service.h"

#include "common/grpc_client.h"
#include "common/keys.h"
#include "common/status.h"
#include "common/text.h"
#include "services/order/domain/validation.h"

namespace revisit::order {

namespace {

absl::Status Required(const std::string& field, const std::string& value, int max) {
  return ValidateText(field, value, 1, max);
}

std::unique_ptr<loyalty::v1::LoyaltyService::Stub> LoyaltyStub(const std::string& address) {
  if (address.empty()) return nullptr;
  return loyalty::v1::LoyaltyService::NewStub(MakeChannel(address));
}

}  // namespace

OrderServiceImpl::OrderServiceImpl(const OrderConfig& config, RedisClient& redis, const Clock& clock)
    : config_(config), store_(redis, config.lookup_secret, config.cached_orders), clock_(clock), loyalty_(LoyaltyStub(config.loyalty_address)),
      commands_(config, store_, clock), checkout_(config, store_, clock, loyalty_.get()),
      creation_(config, store_, commands_, checkout_, clock),
      shipping_(config, store_, commands_, loyalty_.get()), timers_(store_, checkout_, clock),
      customers_(config, store_, clock), finder_(store_, store_.lookup()) {}

absl::Status OrderServiceImpl::HandleTimer(const DueTimer& timer) { return timers_.HandleTimer(timer); }

// L4: an order holding vouchers or points is confirmed with loyalty before it is
// stored as paid (OrderCheckout); a repeat is answered from its recorded response.
grpc::Status OrderServiceImpl::PayOrder(grpc::ServerContextBase*, const v1::PayOrderRequest* req,
                                        v1::PayOrderResponse* resp) {
  bool confirmed = false;
  return ToGrpcStatus(commands_.MutateOrder(
      "PayOrder", *req, req->request_id(), req->order_id(), resp,
      [&](const v1::Order& o, int, absl::Time now) -> absl::StatusOr<OrderEffects> {
        if (!confirmed && o.state() == v1::ORDER_STATE_CREATED &&
            o.checkout().benefits() == v1::BENEFITS_STATE_HELD) {
          RETURN_IF_ERROR(checkout_.Confirm(o));
          confirmed = true;
        }
        return DecidePay(o, *req, commands_.Policy(), now, confirmed);
      }));
}

grpc::Status OrderServiceImpl::ShipOrder(grpc::ServerContextBase*, const v1::ShipOrderRequest* req,
                                         v1::ShipOrderResponse* resp) {
  return ToGrpcStatus(shipping_.Ship(*req, resp));
}

grpc::Status OrderServiceImpl::ConfirmDelivery(grpc::ServerContextBase*,
                                               const v1::ConfirmDeliveryRequest* req,
                                               v1::ConfirmDeliveryResponse* resp) {
  return ToGrpcStatus(commands_.MutateOrder("ConfirmDelivery", *req, req->request_id(), req->order_id(), resp,
                                  [&](const v1::Order& o, int, absl::Time now) {
                                    return DecideDeliver(o, *req, commands_.Policy(), now);
                                  }));
}

grpc::Status OrderServiceImpl::CompleteOrder(grpc::ServerContextBase*,
                                             const v1::CompleteOrderRequest* req,
                                             v1::CompleteOrderResponse* resp) {
  return ToGrpcStatus(commands_.MutateOrder("CompleteOrder", *req, req->request_id(), req->order_id(), resp,
                                  [&](const v1::Order& o, int, absl::Time now) {
                                    return DecideComplete(o, /*automatic=*/false, now);
                                  }));
}

grpc::Status OrderServiceImpl::CancelOrder(grpc::ServerContextBase*, const v1::CancelOrderRequest* req,
                                           v1::CancelOrderResponse* resp) {
  if (auto st = Required("reason", req->reason(), 500); !st.ok()) return ToGrpcStatus(st);
  return ToGrpcStatus(commands_.MutateOrder("CancelOrder", *req, req->request_id(), req->order_id(), resp,
                                  [&](const v1::Order& o, int shard, absl::Time now) {
                                    return DecideCancel(o, *req, NewEntityId("rfd", shard), now);
                                  }));
}

grpc::Status OrderServiceImpl::RefundOrder(grpc::ServerContextBase*, const v1::RefundOrderRequest* req,
                                           v1::RefundOrderResponse* resp) {
  if (auto st = Required("reason", req->reason(), 500); !st.ok()) return ToGrpcStatus(st);
  if (req->has_amount()) {
    absl::Status st = ValidateAmount("amount.amount_minor", req->amount().amount_minor(), 1);
    if (!st.ok()) return ToGrpcStatus(st);
  }
  return ToGrpcStatus(commands_.MutateOrder(
      "RefundOrder", *req, req->request_id(), req->order_id(), resp,
      [&](const v1::Order& o, int shard, absl::Time now) -> absl::StatusOr<OrderEffects> {
        ASSIGN_OR_RETURN(OrderEffects e, DecideRefund(o, *req, NewEntityId("rfd", shard), now));
        *resp->mutable_refund() = e.order.refunds(e.order.refunds_size() - 1);
        return e;
      }));
}

grpc::Status OrderServiceImpl::GetOrder(grpc::ServerContextBase*, const v1::GetOrderRequest* req,
                                        v1::GetOrderResponse* resp) {
  auto o = store_.GetOrder(req->order_id(), "order_id");
  if (!o.ok()) return ToGrpcStatus(o.status());
  *resp->mutable_order() = o->value;
  return grpc::Status::OK;
}

grpc::Status OrderServiceImpl::CreateOrder(grpc::ServerContextBase*, const v1::CreateOrderRequest* req,
                                           v1::CreateOrderResponse* resp) {
  return ToGrpcStatus(creation_.Create(*req, resp));
}

grpc::Status OrderServiceImpl::CreateReplacementOrder(grpc::ServerContextBase*,
                                                      const v1::CreateReplacementOrderRequest* req,
                                                      v1::CreateReplacementOrderResponse* resp) {
  return ToGrpcStatus(creation_.CreateReplacement(*req, resp));
}

// The customer archive, promises and listings (CustomerHandlers).
#define REVISIT_CUSTOMER_RPC(Name)                                                            \
  grpc::Status OrderServiceImpl::Name(grpc::ServerContextBase*, const v1::Name##Request* req,     \
                                      v1::Name##Response* resp) {                             \
    return ToGrpcStatus(customers_.Name(*req, resp));                                         \
  }
REVISIT_CUSTOMER_RPC(CreateCustomer)
REVISIT_CUSTOMER_RPC(UpdateCustomer)
REVISIT_CUSTOMER_RPC(GetCustomer)
REVISIT_CUSTOMER_RPC(ListOrders)
REVISIT_CUSTOMER_RPC(RecordPromise)
REVISIT_CUSTOMER_RPC(ListPromises)
#undef REVISIT_CUSTOMER_RPC

// O2: customers by phone, e-mail or tracking number (CustomerFinder).
grpc::Status OrderServiceImpl::FindCustomers(grpc::ServerContextBase*, const v1::FindCustomersRequest* req,
                                             v1::FindCustomersResponse* resp) {
  auto found = finder_.Find(*req);
  if (!found.ok()) return ToGrpcStatus(found.status());
  *resp = *std::move(found);
  return grpc::Status::OK;
}

}  // namespace revisit::order
