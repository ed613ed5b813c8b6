#include "services/order/order_service.h"

#include "common/grpc_client.h"
#include "common/idempotent.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/status.h"
#include "services/order/order_events.h"
#include "services/order/order_money.h"
#include "services/order/order_state.h"
#include "services/order/order_time.h"
#include "services/order/order_validation.h"

namespace revisit::order {

namespace {

// Sets the `order` field every order response has.
void SetOrderField(google::protobuf::Message* response, const v1::Order& order) {
  const auto* field = response->GetDescriptor()->FindFieldByName("order");
  response->GetReflection()->MutableMessage(response, field)->CopyFrom(order);
}

absl::Status Required(const std::string& field, const std::string& value, int max) {
  return ValidateText(field, value, max, true);
}

}  // namespace

OrderServiceImpl::OrderServiceImpl(const OrderConfig& config, RedisClient& redis,
                                   const Clock& clock)
    : config_(config), store_(redis), clock_(clock) {
  if (!config.loyalty_address.empty()) {
    loyalty_ = loyalty::v1::LoyaltyService::NewStub(MakeChannel(config.loyalty_address));
  }
}

absl::Status OrderServiceImpl::MutateOrder(const std::string& method,
                                           const std::string& request_id,
                                           const std::string& order_id,
                                           google::protobuf::Message* response, v1::Order* out,
                                           const OrderMutation& mutate,
                                           std::optional<Versioned<v1::Order>> first_read) {
  RETURN_IF_ERROR(ValidateRequestId(request_id));
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(order_id, "ord", "order_id"));
  std::function<absl::Status(WriteBatch&, google::protobuf::Message*)> decide =
      [&](WriteBatch& batch, google::protobuf::Message* resp) -> absl::Status {
    Versioned<v1::Order> order;
    if (first_read) {
      order = *std::move(first_read);
      first_read.reset();
    } else {
      ASSIGN_OR_RETURN(order, store_.GetOrder(order_id, "order_id"));
    }
    int64_t read_version = order.version;
    RETURN_IF_ERROR(mutate(order, batch, shard));
    batch.ExpectVersion(OrderKey(shard, order_id), read_version);
    batch.Put(OrderKey(shard, order_id), read_version + 1, order.value.SerializeAsString());
    SetOrderField(resp, order.value);
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(RunIdempotent<google::protobuf::Message>(
      store_.redis(), RequestKey(shard, method, request_id), config_.idempotency_ttl, response,
      decide));
  const auto* field = response->GetDescriptor()->FindFieldByName("order");
  if (out) out->CopyFrom(response->GetReflection()->GetMessage(*response, field));
  return absl::OkStatus();
}

grpc::Status OrderServiceImpl::PayOrder(grpc::ServerContext*, const v1::PayOrderRequest* req,
                                        v1::PayOrderResponse* resp) {
  return ToGrpcStatus(MutateOrder(
      "PayOrder", req->request_id(), req->order_id(), resp, nullptr,
      [&](Versioned<v1::Order>& o, WriteBatch& batch, int shard) -> absl::Status {
        ASSIGN_OR_RETURN(auto next, Transition(o.value.state(), OrderAction::kPay));
        const auto& total = o.value.total();
        if (req->amount().amount_minor() != total.amount_minor() ||
            req->amount().currency() != total.currency()) {
          return absl::InvalidArgumentError("amount: must equal the order total " +
                                            FormatMoney(total.amount_minor(), total.currency()));
        }
        absl::Time now = clock_.Now();
        absl::Time ship_by = ShipBy(now, config_.ship_cutoff_minutes, config_.ship_time_zone);
        o.value.set_state(next);
        *o.value.mutable_paid() = req->amount();
        *o.value.mutable_paid_at() = Ts(now);
        *o.value.mutable_ship_by() = Ts(ship_by);
        ScheduleTimer(batch, kService, shard, "late:" + o.value.order_id(), ship_by, "");
        v1::OrderPaid ev;
        *ev.mutable_order() = Facts(o.value);
        Emit(batch, shard, o.value.customer_id(), o.value.order_id(), now, "paid", ev);
        return absl::OkStatus();
      }));
}

OrderServiceImpl::ShippingPerks OrderServiceImpl::AskPerks(const std::string& customer_id,
                                                           const std::string& order_id) {
  ShippingPerks perks;
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
absl::Status OrderServiceImpl::Ship(const v1::ShipOrderRequest& req, v1::ShipOrderResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  ASSIGN_OR_RETURN(int order_shard, ShardOfEntityId(req.order_id(), "ord", "order_id"));
  const std::string order_key = OrderKey(order_shard, req.order_id());
  ASSIGN_OR_RETURN(PriorOrRaw found, ReadPriorOrRaw(store_.redis(),
                                                    RequestKey(order_shard, "ShipOrder",
                                                               req.request_id()),
                                                    resp, order_key));
  if (found.repeat) return absl::OkStatus();
  std::optional<Versioned<v1::Order>> first_read;
  std::optional<ShippingPerks> perks;
  if (found.raw) {
    first_read.emplace();
    first_read->version = found.raw->first;
    RETURN_IF_ERROR(ParseStored(order_key, found.raw->second, &first_read->value));
    const v1::Order& o = first_read->value;
    if (Transition(o.state(), OrderAction::kShip).ok()) perks = AskPerks(o.customer_id(), o.order_id());
  }
  return MutateOrder(
      "ShipOrder", req.request_id(), req.order_id(), resp, nullptr,
      [&](Versioned<v1::Order>& o, WriteBatch& batch, int shard) -> absl::Status {
        ASSIGN_OR_RETURN(auto next, Transition(o.value.state(), OrderAction::kShip));
        // Only when the first read was not shippable but a re-read is: still once.
        if (!perks) perks = AskPerks(o.value.customer_id(), o.value.order_id());
        absl::Time now = clock_.Now();
        o.value.set_state(next);
        auto* s = o.value.mutable_shipment();
        s->set_carrier(req.carrier());
        s->set_tracking_number(req.tracking_number());
        *s->mutable_shipped_at() = Ts(now);
        s->set_gift_in_parcel(perks->gift_in_parcel);
        s->set_perks_note(perks->note);
        CancelTimer(batch, kService, shard, "late:" + o.value.order_id());
        v1::OrderShipped ev;
        *ev.mutable_order() = Facts(o.value);
        ev.set_carrier(s->carrier());
        ev.set_tracking_number(s->tracking_number());
        ev.set_gift_in_parcel(s->gift_in_parcel());
        ev.set_perks_note(s->perks_note());
        Emit(batch, shard, o.value.customer_id(), o.value.order_id(), now, "shipped", ev);
        return absl::OkStatus();
      },
      std::move(first_read));
}

grpc::Status OrderServiceImpl::ConfirmDelivery(grpc::ServerContext*,
                                               const v1::ConfirmDeliveryRequest* req,
                                               v1::ConfirmDeliveryResponse* resp) {
  return ToGrpcStatus(MutateOrder(
      "ConfirmDelivery", req->request_id(), req->order_id(), resp, nullptr,
      [&](Versioned<v1::Order>& o, WriteBatch& batch, int shard) -> absl::Status {
        ASSIGN_OR_RETURN(auto next, Transition(o.value.state(), OrderAction::kDeliver));
        absl::Time now = clock_.Now();
        absl::Time signed_at = req->has_signed_at() ? FromTs(req->signed_at()) : now;
        if (signed_at > now + absl::Minutes(5)) {
          return absl::InvalidArgumentError("signed_at: must not be in the future");
        }
        if (signed_at < FromTs(o.value.shipment().shipped_at())) {
          return absl::InvalidArgumentError("signed_at: must not be before the shipment");
        }
        o.value.set_state(next);
        *o.value.mutable_delivery()->mutable_signed_at() = Ts(signed_at);
        o.value.mutable_delivery()->set_inspected_on_receipt(req->inspected_on_receipt());
        *o.value.mutable_delivered_at() = Ts(signed_at);
        absl::Time auto_at = signed_at + config_.auto_complete_after;
        *o.value.mutable_auto_complete_at() = Ts(auto_at);
        ScheduleTimer(batch, kService, shard, "complete:" + o.value.order_id(), auto_at, "");
        v1::OrderDelivered ev;
        *ev.mutable_order() = Facts(o.value);
        Emit(batch, shard, o.value.customer_id(), o.value.order_id(), now, "delivered", ev);
        return absl::OkStatus();
      }));
}

grpc::Status OrderServiceImpl::CompleteOrder(grpc::ServerContext*,
                                             const v1::CompleteOrderRequest* req,
                                             v1::CompleteOrderResponse* resp) {
  return ToGrpcStatus(MutateOrder(
      "CompleteOrder", req->request_id(), req->order_id(), resp, nullptr,
      [&](Versioned<v1::Order>& o, WriteBatch& batch, int shard) -> absl::Status {
        ASSIGN_OR_RETURN(auto next, Transition(o.value.state(), OrderAction::kComplete));
        absl::Time now = clock_.Now();
        o.value.set_state(next);
        *o.value.mutable_completed_at() = Ts(now);
        CancelTimer(batch, kService, shard, "complete:" + o.value.order_id());
        v1::OrderCompleted ev;
        *ev.mutable_order() = Facts(o.value);
        Emit(batch, shard, o.value.customer_id(), o.value.order_id(), now, "completed", ev);
        return absl::OkStatus();
      }));
}

grpc::Status OrderServiceImpl::CancelOrder(grpc::ServerContext*, const v1::CancelOrderRequest* req,
                                           v1::CancelOrderResponse* resp) {
  if (auto st = Required("reason", req->reason(), 500); !st.ok()) return ToGrpcStatus(st);
  return ToGrpcStatus(MutateOrder(
      "CancelOrder", req->request_id(), req->order_id(), resp, nullptr,
      [&](Versioned<v1::Order>& o, WriteBatch& batch, int shard) -> absl::Status {
        ASSIGN_OR_RETURN(auto next, Transition(o.value.state(), OrderAction::kCancel));
        absl::Time now = clock_.Now();
        int64_t refund = Refundable(o.value);
        o.value.set_state(next);
        o.value.set_cancel_reason(req->reason());
        *o.value.mutable_cancelled_at() = Ts(now);
        v1::OrderCancelled ev;
        ev.set_reason(req->reason());
        ev.mutable_refunded()->set_currency(o.value.total().currency());
        if (refund > 0) {  // DOMAIN: cancelled before shipment, refund if paid.
          auto* r = o.value.add_refunds();
          r->set_refund_id(NewEntityId("rfd", shard));
          r->mutable_amount()->set_amount_minor(refund);
          r->mutable_amount()->set_currency(o.value.total().currency());
          r->set_reason("order cancelled: " + req->reason());
          *r->mutable_refunded_at() = Ts(now);
          o.value.mutable_refunded()->set_amount_minor(o.value.refunded().amount_minor() + refund);
          ev.mutable_refunded()->set_amount_minor(refund);
        }
        CancelTimer(batch, kService, shard, "late:" + o.value.order_id());
        *ev.mutable_order() = Facts(o.value);
        Emit(batch, shard, o.value.customer_id(), o.value.order_id(), now, "cancelled", ev);
        return absl::OkStatus();
      }));
}

grpc::Status OrderServiceImpl::RefundOrder(grpc::ServerContext*, const v1::RefundOrderRequest* req,
                                           v1::RefundOrderResponse* resp) {
  if (auto st = Required("reason", req->reason(), 500); !st.ok()) return ToGrpcStatus(st);
  return ToGrpcStatus(MutateOrder(
      "RefundOrder", req->request_id(), req->order_id(), resp, nullptr,
      [&](Versioned<v1::Order>& o, WriteBatch& batch, int shard) -> absl::Status {
        RETURN_IF_ERROR(Transition(o.value.state(), OrderAction::kRefund).status());
        ASSIGN_OR_RETURN(v1::Refund refund, PlanRefund(o.value, *req));
        absl::Time now = clock_.Now();
        refund.set_refund_id(NewEntityId("rfd", shard));
        *refund.mutable_refunded_at() = Ts(now);
        *o.value.add_refunds() = refund;
        o.value.mutable_refunded()->set_amount_minor(o.value.refunded().amount_minor() +
                                                    refund.amount().amount_minor());
        *resp->mutable_refund() = refund;
        v1::OrderRefunded ev;
        *ev.mutable_order() = Facts(o.value);
        *ev.mutable_refund() = refund;
        Emit(batch, shard, o.value.customer_id(), o.value.order_id(), now, "refunded", ev);
        return absl::OkStatus();
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
