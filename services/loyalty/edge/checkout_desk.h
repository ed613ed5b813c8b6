// CheckoutDesk: the loyalty side of the order service's checkout saga (L4, L8;
// domain/reservations.h): reserve vouchers and points for an order, confirm them when
// it is paid, release them when it is cancelled, refunded or its hold expires.
//
// Each call validates first (INVALID_ARGUMENT naming the field and the rule), then
// runs under RunIdempotent keyed by its request_id in the customer's shard. Beneath
// that a reservation is keyed by its order ID: a reserve repeated under another
// request_id returns the reservation it made (FAILED_PRECONDITION if it asks for other
// vouchers or points), and confirm and release are idempotent by the reservation's
// state. NOT_FOUND for a reservation_id nobody reserved; a refusal writes nothing.
// Thread-safety: thread-safe; the gRPC service calls it from concurrent handlers.
#ifndef REVISIT_SERVICES_LOYALTY_EDGE_CHECKOUT_DESK_H_
#define REVISIT_SERVICES_LOYALTY_EDGE_CHECKOUT_DESK_H_

#include "absl/status/status.h"
#include "revisit/loyalty/v1/loyalty.pb.h"
#include "services/loyalty/edge/loyalty_engine.h"

namespace revisit::loyalty {

class CheckoutDesk {
 public:
  explicit CheckoutDesk(LoyaltyEngine& engine) : engine_(engine) {}

  absl::Status Reserve(const v1::ReserveBenefitsRequest& req, v1::ReserveBenefitsResponse* resp);
  absl::Status Confirm(const v1::ConfirmReservationRequest& req,
                       v1::ConfirmReservationResponse* resp);
  absl::Status Release(const v1::ReleaseReservationRequest& req,
                       v1::ReleaseReservationResponse* resp);

 private:
  LoyaltyEngine& engine_;
};

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_EDGE_CHECKOUT_DESK_H_
