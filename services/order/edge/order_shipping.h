// OrderShipping: ShipOrder with the O7 perks. Loyalty is asked at most once per RPC,
// before the read-decide-commit loop, so a version conflict (ABORTED, retried) does
// not ask again; one pipelined round trip first answers a repeat from its recorded
// response (loyalty is not asked) and otherwise reads the order, which the first
// attempt then decides on. Perks are a kindness, not a blocker: loyalty down, slow
// (REVISIT_ORDER_PERKS_DEADLINE) or refusing ships without them and records why.
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT naming the field (carrier, tracking_number, request_id),
// NOT_FOUND for an unknown order, FAILED_PRECONDITION when the order cannot ship now.
#ifndef REVISIT_SERVICES_ORDER_EDGE_ORDER_SHIPPING_H_
#define REVISIT_SERVICES_ORDER_EDGE_ORDER_SHIPPING_H_

#include <string>

#include "absl/status/status.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "services/order/domain/decide.h"
#include "services/order/edge/order_commands.h"
#include "services/order/order_config.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

class OrderShipping {
 public:
  // `loyalty` may be null (no loyalty service configured). Not owned; all must
  // outlive this.
  OrderShipping(const OrderConfig& config, OrderStore& store, OrderCommands& commands,
                loyalty::v1::LoyaltyService::StubInterface* loyalty);

  absl::Status Ship(const v1::ShipOrderRequest& req, v1::ShipOrderResponse* resp);

 private:
  // O7: what loyalty grants a shipment, or why there is nothing (never an error).
  ParcelPerks AskPerks(const std::string& customer_id, const std::string& order_id);

  const OrderConfig& config_;
  OrderStore& store_;
  OrderCommands& commands_;
  loyalty::v1::LoyaltyService::StubInterface* loyalty_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_ORDER_SHIPPING_H_
