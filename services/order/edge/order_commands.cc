// OrderCommands (order_commands.h): read-decide-stage of one order under a request_id.
#include "services/order/edge/order_commands.h"

#include <utility>

#include "common/idempotent.h"
#include "common/ids.h"
#include "common/keys.h"
#include "common/status.h"

namespace revisit::order {
namespace {

// Sets the `order` field every order response has.
void SetOrderField(google::protobuf::Message* response, const v1::Order& order) {
  const auto* field = response->GetDescriptor()->FindFieldByName("order");
  response->GetReflection()->MutableMessage(response, field)->CopyFrom(order);
}

}  // namespace

OrderCommands::OrderCommands(const OrderConfig& config, OrderStore& store, const Clock& clock)
    : config_(config), store_(store), clock_(clock) {}

absl::Status OrderCommands::MutateOrder(const std::string& method,
                                        const google::protobuf::Message& request,
                                        const std::string& request_id,
                                        const std::string& order_id,
                                        google::protobuf::Message* response,
                                        const OrderDecider& decide, OrderCache::Entry known) {
  RETURN_IF_ERROR(ValidateRequestId(request_id));
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(order_id, "ord", "order_id"));
  // The first attempt decides on the order the caller read or, else, the one this
  // process last committed: its commit is then the RPC's only round trip. The
  // version guard refuses it if that order is stale (ABORTED); the retry, like a
  // refusal by the decider, decides again on the order read from Redis, so every
  // answer rests on the stored order.
  if (!known) known = store_.cache().Get(order_id);
  std::optional<Versioned<v1::Order>> staged;
  std::function<absl::Status(WriteBatch&, google::protobuf::Message*)> run =
      [&](WriteBatch& batch, google::protobuf::Message* resp) -> absl::Status {
    OrderCache::Entry order = std::move(known);
    known = nullptr;
    const absl::Time now = clock_.Now();
    absl::StatusOr<OrderEffects> effects = absl::NotFoundError("order_id: not read");
    if (order) effects = decide(order->value, shard, now);
    if (!effects.ok()) {
      ASSIGN_OR_RETURN(Versioned<v1::Order> fresh, store_.GetOrder(order_id, "order_id"));
      order = std::make_shared<const Versioned<v1::Order>>(std::move(fresh));
      effects = decide(order->value, shard, now);
      if (!effects.ok()) return effects.status();
    }
    StageOrder(batch, shard, order->version, *effects, now);
    store_.lookup().StageOrder(batch, shard, effects->order);  // O2: the tracking number, once shipped
    SetOrderField(resp, effects->order);
    staged = Versioned<v1::Order>{std::move(effects->order), order->version + 1};
    return absl::OkStatus();
  };
  bool applied = false;
  absl::Status st = RunIdempotent<google::protobuf::Message>(
      store_.redis(), RequestKey(shard, method, request_id), config_.idempotency_ttl, request,
      response, run, &applied);
  if (applied) {
    store_.cache().Put(*std::move(staged));
  } else if (!st.ok()) {
    store_.cache().Drop(order_id);  // maybe stale, or the outcome is unknown
  }
  return st;
}

OrderPolicy OrderCommands::Policy() const {
  OrderPolicy p;
  p.ship_cutoff_minutes = config_.ship_cutoff_minutes;
  p.ship_time_zone = config_.ship_time_zone;
  p.auto_complete_after = config_.auto_complete_after;
  p.shipping_fee_minor = config_.shipping_fee_minor;
  return p;
}

}  // namespace revisit::order
