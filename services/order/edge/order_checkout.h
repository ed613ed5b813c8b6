// OrderCheckout: the order service's side of the checkout saga with loyalty (L4, L8).
//
//   CreateOrder: Gather = ReserveBenefits(reservation = order ID) -> the caller stores
//                the order (HELD); when storing fails, ReleaseAfterFailure at once
//                (loyalty's hold timer is the backstop when this process dies between).
//   PayOrder:    Confirm = ConfirmReservation -> the caller stores PAID (CONFIRMED).
//                Loyalty refuses to confirm a released hold, so a late payment cannot
//                spend a voucher that was given back.
//   Timer "benefits:<order>" (SyncBenefits): at hold_until cancels an order still
//                unpaid (and so releases a hold confirmed for a payment that was never
//                stored); after a cancel or refund calls ReleaseReservation until
//                loyalty acknowledged (compensating step).
// Order IDs of CreateOrder derive from (customer, request_id) (CheckoutOrderId), so a
// retry after a crash between reserve and store finds its own reservation again.
// Thread-safety: thread-safe.
// Errors: a loyalty refusal keeps its code (INVALID_ARGUMENT, NOT_FOUND,
// FAILED_PRECONDITION, annotated "loyalty refused ..."); loyalty down or slow is
// UNAVAILABLE (retry); FAILED_PRECONDITION when benefits are asked for and no loyalty
// service is configured.
#ifndef REVISIT_SERVICES_ORDER_EDGE_ORDER_CHECKOUT_H_
#define REVISIT_SERVICES_ORDER_EDGE_ORDER_CHECKOUT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/clock.h"
#include "revisit/loyalty/v1/loyalty.grpc.pb.h"
#include "services/order/domain/pricing.h"
#include "services/order/order_config.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

// The order ID of a CreateOrder: derived from the customer and request_id (FNV-1a),
// so a retry after a crash between reserving benefits and storing finds its hold.
std::string CheckoutOrderId(int shard, const std::string& customer_id, const std::string& request_id);

class OrderCheckout {
 public:
  // The O5 discount a new order of the customer would get, in the given currency.
  using PromisedDiscount = std::function<absl::StatusOr<int64_t>(const std::string& currency)>;

  // `loyalty` may be null (no loyalty service configured). Not owned; all must
  // outlive this.
  OrderCheckout(const OrderConfig& config, OrderStore& store, const Clock& clock,
                loyalty::v1::LoyaltyService::StubInterface* loyalty);

  // Reserves the request's vouchers and points with loyalty (or learns about free
  // shipping) before the order `order_id` is stored; `promised` is asked only when
  // the request spends benefits.
  absl::StatusOr<CheckoutFacts> Gather(const v1::CreateOrderRequest& req, const std::string& order_id,
                                       const PromisedDiscount& promised);
  // Confirms the held benefits of `order` before it is stored as paid.
  absl::Status Confirm(const v1::Order& order);
  // The "benefits:<order_id>" timer: cancels an unpaid order past its hold, or tells
  // loyalty what a cancel or refund gives back.
  absl::Status SyncBenefits(const std::string& order_id);
  // Gives the hold of an order that was not stored back at once (best effort).
  void ReleaseAfterFailure(const std::string& order_id, const std::string& why);

 private:
  absl::StatusOr<bool> FreeShipping(const std::string& customer_id, const std::string& order_id,
                                    std::string* reason);
  absl::Status CancelUnpaid(const std::string& order_id);

  const OrderConfig& config_;
  OrderStore& store_;
  const Clock& clock_;
  loyalty::v1::LoyaltyService::StubInterface* loyalty_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_ORDER_CHECKOUT_H_
