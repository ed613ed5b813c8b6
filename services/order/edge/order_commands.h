// OrderCommands: runs one command on one existing order, the way every mutating
// order RPC does: request_id checked, the order read, the pure decider run
// (domain/decide.h), its effects (state + events + timers) staged into one WriteBatch
// (StageOrder) under RunIdempotent keyed by the request_id, so a repeat returns the
// first answer and changes nothing. Policy() is the deciders' view of the config.
// Thread-safety: thread-safe (no state of its own).
// Errors: INVALID_ARGUMENT for a bad request_id, NOT_FOUND for an order ID this
// service never issued or does not have, the decider's status, ABORTED when a
// concurrent change kept winning the version guard.
#ifndef REVISIT_SERVICES_ORDER_EDGE_ORDER_COMMANDS_H_
#define REVISIT_SERVICES_ORDER_EDGE_ORDER_COMMANDS_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/entity.h"
#include "google/protobuf/message.h"
#include "services/order/domain/decide.h"
#include "services/order/order_config.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

class OrderCommands {
 public:
  // A decider (domain/decide.h) bound to its request: the order as read, its shard
  // and now in; the effects out.
  using OrderDecider =
      std::function<absl::StatusOr<OrderEffects>(const v1::Order&, int shard, absl::Time now)>;

  // Not owned; all must outlive this.
  OrderCommands(const OrderConfig& config, OrderStore& store, const Clock& clock);

  // Read-decide-stage of order `order_id` under `method`'s request_id; `response`'s
  // `order` field gets the order after the decision. `first_read`, when given, is
  // the order as already read by the caller: the first attempt decides on it (no
  // second read); a retry after ABORTED reads afresh.
  absl::Status MutateOrder(const std::string& method, const google::protobuf::Message& request,
                           const std::string& request_id, const std::string& order_id,
                           google::protobuf::Message* response, const OrderDecider& decide,
                           std::optional<Versioned<v1::Order>> first_read = std::nullopt);

  // The deciders' policy from the config (cut-off, zone, auto-completion, fee).
  OrderPolicy Policy() const;

 private:
  const OrderConfig& config_;
  OrderStore& store_;
  const Clock& clock_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_ORDER_COMMANDS_H_
