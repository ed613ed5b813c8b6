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
    SetOrderField(resp, effects.order);
    return absl::OkStatus();
  };
  return RunIdempotent<google::protobuf::Message>(store_.redis(),
                                                  RequestKey(shard, method, request_id),
                                                  config_.idempotency_ttl, request, response, run);
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
