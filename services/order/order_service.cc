#include "services/order/order_service.h"

#include "common/grpc_client.h"
#include "common/idempotent.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/status.h"
#include "services/order/order_events.h"
#include "services/order/domain/state.h"
#include "common/proto_time.h"
#include "services/order/domain/validation.h"

namespace revisit::order {

namespace {

// Sets the `order` field every order response has.
void SetOrderField(google::protobuf::Message* response, const v1::Order& order) {
  const auto* field = response->GetDescriptor()->FindFieldByName("order");
  response->GetReflection()->MutableMessage(response, field)->CopyFrom(order);
}

absl::Status Required(const std::string& field, const std::string& value, int max) {
  return ValidateText(field, value, 1, max);
}

}  // namespace

OrderServiceImpl::OrderServiceImpl(const OrderConfig& config, RedisClient& redis,
                                   const Clock& clock)
    : config_(config),
      store_(redis),
      index_(redis, config.lookup_secret),
      finder_(store_, index_),
      clock_(clock) {
  if (!config.loyalty_address.empty()) {
    loyalty_ = loyalty::v1::LoyaltyService::NewStub(MakeChannel(config.loyalty_address));
  }
}

absl::Status OrderServiceImpl::MutateOrder(const std::string& method,
                                           const google::protobuf::Message& request,
                                           const std::string& request_id,
                                           const std::string& order_id,
                                           google::protobuf::Message* response,
                                           const OrderDecider& decide,
                                           std::optional<Versioned<v1::Order>> first_read) {
  RETURN_IF_ERROR(ValidateRequestId(request_id));
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(order_id, "ord", "order_id"));
  std::function<absl::Status(WriteBatch&, google::protobuf::Message*)> run =
      [&](WriteBatch& batch, google::protobuf::Message* resp) -> absl::Status {
    Versioned<v1::Order> order;
    if (first_read) {
      order = *std::move(first_read);
      first_read.reset();
    } else {
      ASSIGN_OR_RETURN(order, store_.GetOrder(order_id, "order_id"));
    }
    const absl::Time now = clock_.Now();
    ASSIGN_OR_RETURN(OrderEffects effects, decide(order.value, shard, now));
    StageOrder(batch, shard, order.version, effects, now);
    index_.StageOrder(batch, shard, effects.order);  // O2: the tracking number, once shipped
    SetOrderField(resp, effects.order);
    return absl::OkStatus();
  };
  return RunIdempotent<google::protobuf::Message>(store_.redis(),
                                                  RequestKey(shard, method, request_id),
                                                  config_.idempotency_ttl, request, response, run);
}

OrderPolicy OrderServiceImpl::Policy() const {
  OrderPolicy p;
  p.ship_cutoff_minutes = config_.ship_cutoff_minutes;
  p.ship_time_zone = config_.ship_time_zone;
  p.auto_complete_after = config_.auto_complete_after;
  p.shipping_fee_minor = config_.shipping_fee_minor;
  return p;
}

// L4: an order holding vouchers or points is confirmed with loyalty before it is
// stored as paid (order_checkout.cc); a repeat is answered from its recorded response.
grpc::Status OrderServiceImpl::PayOrder(grpc::ServerContext*, const v1::PayOrderRequest* req,
                                        v1::PayOrderResponse* resp) {
  bool confirmed = false;
  return ToGrpcStatus(MutateOrder(
      "PayOrder", *req, req->request_id(), req->order_id(), resp,
      [&](const v1::Order& o, int, absl::Time now) -> absl::StatusOr<OrderEffects> {
        if (!confirmed && o.state() == v1::ORDER_STATE_CREATED &&
            o.checkout().benefits() == v1::BENEFITS_STATE_HELD) {
          RETURN_IF_ERROR(ConfirmBenefits(o));
          confirmed = true;
        }
        return DecidePay(o, *req, Policy(), now, confirmed);
      }));
}

ParcelPerks OrderServiceImpl::AskPerks(const std::string& customer_id,
                                                           const std::string& order_id) {
  ParcelPerks perks;
  if (!loyalty_) {
    perks.note = "no loyalty service configured: shipped without perks";
    return perks;
  }
  loyalty::v1::GetShippingPerksRequest req;
  req.set_customer_id(customer_id);
  req.set_order_id(order_id);
  loyalty::v1::GetShippingPerksResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + config_.perks_deadline));
  grpc::Status st = loyalty_->GetShippingPerks(&ctx, req, &resp);
  if (!st.ok()) {
    // O7 is a kindness, not a blocker: ship anyway and record why (issue 7).
    // Name which it was: loyalty down or slow (retry-worthy) or refusing the request.
    const bool refused = st.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                         st.error_code() == grpc::StatusCode::NOT_FOUND ||
                         st.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
                         st.error_code() == grpc::StatusCode::PERMISSION_DENIED;
    perks.note = (refused ? "loyalty refused the perks request (" : "loyalty unavailable (") +
                 st.error_message() + "): shipped without perks";
    LogWarn("shipping without perks", {{"order_id", order_id}, {"error", st.error_message()}});
    return perks;
  }
  perks.gift_in_parcel = resp.parcel_gift();
  perks.note = resp.reason();
  return perks;
}

grpc::Status OrderServiceImpl::ShipOrder(grpc::ServerContext*, const v1::ShipOrderRequest* req,
                                         v1::ShipOrderResponse* resp) {
  if (auto st = Required("carrier", req->carrier(), 64); !st.ok()) return ToGrpcStatus(st);
  if (auto st = Required("tracking_number", req->tracking_number(), 64); !st.ok()) {
    return ToGrpcStatus(st);
  }
  return ToGrpcStatus(Ship(*req, resp));
}

// O7 asks loyalty at most once per RPC, before the read-decide-commit loop, so a
// version conflict (ABORTED, retried) does not ask again. One pipelined round trip
// first answers a repeat from its recorded response (loyalty is not asked) and
// otherwise reads the order, which the first attempt then decides on.
// O7 asks loyalty at most once per RPC, before the read-decide-commit loop, so a
// version conflict (ABORTED, retried) does not ask again. One pipelined round trip
// first answers a repeat from its recorded response (loyalty is not asked) and
// otherwise reads the order, which the first attempt then decides on.
absl::Status OrderServiceImpl::Ship(const v1::ShipOrderRequest& req, v1::ShipOrderResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  ASSIGN_OR_RETURN(int order_shard, ShardOfEntityId(req.order_id(), "ord", "order_id"));
  const std::string order_key = OrderKey(order_shard, req.order_id());
  ASSIGN_OR_RETURN(PriorOrRaw found, ReadPriorOrRaw(store_.redis(),
                                                    RequestKey(order_shard, "ShipOrder",
                                                               req.request_id()),
                                                    req, resp, order_key));
  if (found.repeat) return absl::OkStatus();
  std::optional<Versioned<v1::Order>> first_read;
  std::optional<ParcelPerks> perks;
  if (found.raw) {
    first_read.emplace();
    first_read->version = found.raw->first;
    RETURN_IF_ERROR(ParseStored(order_key, found.raw->second, &first_read->value));
    const v1::Order& o = first_read->value;
    if (Transition(o.state(), OrderAction::kShip).ok()) perks = AskPerks(o.customer_id(), o.order_id());
  }
  return MutateOrder(
      "ShipOrder", req, req.request_id(), req.order_id(), resp,
      [&](const v1::Order& o, int, absl::Time now) -> absl::StatusOr<OrderEffects> {
        RETURN_IF_ERROR(Transition(o.state(), OrderAction::kShip).status());
        // Only when the first read was not shippable but a re-read is: still once.
        if (!perks) perks = AskPerks(o.customer_id(), o.order_id());
        return DecideShip(o, req, *perks, now);
      },
      std::move(first_read));
}

grpc::Status OrderServiceImpl::ConfirmDelivery(grpc::ServerContext*,
                                               const v1::ConfirmDeliveryRequest* req,
                                               v1::ConfirmDeliveryResponse* resp) {
  return ToGrpcStatus(MutateOrder("ConfirmDelivery", *req, req->request_id(), req->order_id(), resp,
                                  [&](const v1::Order& o, int, absl::Time now) {
                                    return DecideDeliver(o, *req, Policy(), now);
                                  }));
}

grpc::Status OrderServiceImpl::CompleteOrder(grpc::ServerContext*,
                                             const v1::CompleteOrderRequest* req,
                                             v1::CompleteOrderResponse* resp) {
  return ToGrpcStatus(MutateOrder("CompleteOrder", *req, req->request_id(), req->order_id(), resp,
                                  [&](const v1::Order& o, int, absl::Time now) {
                                    return DecideComplete(o, /*automatic=*/false, now);
                                  }));
}

grpc::Status OrderServiceImpl::CancelOrder(grpc::ServerContext*, const v1::CancelOrderRequest* req,
                                           v1::CancelOrderResponse* resp) {
  if (auto st = Required("reason", req->reason(), 500); !st.ok()) return ToGrpcStatus(st);
  return ToGrpcStatus(MutateOrder("CancelOrder", *req, req->request_id(), req->order_id(), resp,
                                  [&](const v1::Order& o, int shard, absl::Time now) {
                                    return DecideCancel(o, *req, NewEntityId("rfd", shard), now);
                                  }));
}

grpc::Status OrderServiceImpl::RefundOrder(grpc::ServerContext*, const v1::RefundOrderRequest* req,
                                           v1::RefundOrderResponse* resp) {
  if (auto st = Required("reason", req->reason(), 500); !st.ok()) return ToGrpcStatus(st);
  if (req->has_amount()) {
    absl::Status st = ValidateAmount("amount.amount_minor", req->amount().amount_minor(), 1);
    if (!st.ok()) return ToGrpcStatus(st);
  }
  return ToGrpcStatus(MutateOrder(
      "RefundOrder", *req, req->request_id(), req->order_id(), resp,
      [&](const v1::Order& o, int shard, absl::Time now) -> absl::StatusOr<OrderEffects> {
        ASSIGN_OR_RETURN(OrderEffects e, DecideRefund(o, *req, NewEntityId("rfd", shard), now));
        *resp->mutable_refund() = e.order.refunds(e.order.refunds_size() - 1);
        return e;
      }));
}

grpc::Status OrderServiceImpl::GetOrder(grpc::ServerContext*, const v1::GetOrderRequest* req,
                                        v1::GetOrderResponse* resp) {
  auto o = store_.GetOrder(req->order_id(), "order_id");
  if (!o.ok()) return ToGrpcStatus(o.status());
  *resp->mutable_order() = o->value;
  return grpc::Status::OK;
}

}  // namespace revisit::order
