// OrderShipping (order_shipping.h): ShipOrder with the O7 perks asked once per RPC.
#include "services/order/edge/order_shipping.h"

#include <optional>
#include <utility>

#include "common/idempotent.h"
#include "common/ids.h"
#include "common/keys.h"
#include "common/log.h"
#include "common/status.h"
#include "common/text.h"
#include "services/order/domain/state.h"

namespace revisit::order {

OrderShipping::OrderShipping(const OrderConfig& config, OrderStore& store, OrderCommands& commands,
                             loyalty::v1::LoyaltyService::StubInterface* loyalty)
    : config_(config), store_(store), commands_(commands), loyalty_(loyalty) {}

ParcelPerks OrderShipping::AskPerks(const std::string& customer_id, const std::string& order_id) {
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

absl::Status OrderShipping::Ship(const v1::ShipOrderRequest& req, v1::ShipOrderResponse* resp) {
  RETURN_IF_ERROR(ValidateText("carrier", req.carrier(), 1, 64));
  RETURN_IF_ERROR(ValidateText("tracking_number", req.tracking_number(), 1, 64));
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  ASSIGN_OR_RETURN(int order_shard, ShardOfEntityId(req.order_id(), "ord", "order_id"));
  std::optional<ParcelPerks> perks;
  // The order this process last committed, when it is shippable: perks are asked on
  // it and the commit is the one round trip (a stale entry is caught by the version
  // guard; a repeat whose order another instance shipped is answered by the commit's
  // DEDUPE, after one needless perks read).
  OrderCache::Entry known = store_.cache().Get(req.order_id());
  if (known && Transition(known->value.state(), OrderAction::kShip).ok()) {
    perks = AskPerks(known->value.customer_id(), known->value.order_id());
  } else {
    known = nullptr;
    const std::string order_key = OrderKey(order_shard, req.order_id());
    ASSIGN_OR_RETURN(PriorOrRaw found, ReadPriorOrRaw(store_.redis(),
                                                      RequestKey(order_shard, "ShipOrder",
                                                                 req.request_id()),
                                                      req, resp, order_key));
    if (found.repeat) return absl::OkStatus();
    if (found.raw) {
      Versioned<v1::Order> read;
      read.version = found.raw->first;
      RETURN_IF_ERROR(ParseStored(order_key, found.raw->second, &read.value));
      if (Transition(read.value.state(), OrderAction::kShip).ok()) {
        perks = AskPerks(read.value.customer_id(), read.value.order_id());
      }
      known = std::make_shared<const Versioned<v1::Order>>(std::move(read));
    }
  }
  return commands_.MutateOrder(
      "ShipOrder", req, req.request_id(), req.order_id(), resp,
      [&](const v1::Order& o, int, absl::Time now) -> absl::StatusOr<OrderEffects> {
        RETURN_IF_ERROR(Transition(o.state(), OrderAction::kShip).status());
        // Only when the first read was not shippable but a re-read is: still once.
        if (!perks) perks = AskPerks(o.customer_id(), o.order_id());
        return DecideShip(o, req, *perks, now);
      },
      std::move(known));
}

}  // namespace revisit::order
