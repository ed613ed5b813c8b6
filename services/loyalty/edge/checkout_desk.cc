// CheckoutDesk: see checkout_desk.h.
#include "services/loyalty/edge/checkout_desk.h"

#include "common/idempotent.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/loyalty/store/reservation_txn.h"
#include "services/loyalty/domain/reservations.h"
#include "services/loyalty/domain/validation.h"

namespace revisit::loyalty {

absl::Status CheckoutDesk::Reserve(const v1::ReserveBenefitsRequest& req,
                                   v1::ReserveBenefitsResponse* resp) {
  const absl::Time now = engine_.clock().Now();
  RETURN_IF_ERROR(ValidateReserveBenefits(req, now, engine_.rules().currency));
  const int shard = ShardOf(req.customer_id());
  // Confirm and Release name only the order: record whose it is first (idempotent).
  RETURN_IF_ERROR(RecordReservationOwner(engine_.store().redis(), req.reservation_id(), req.customer_id()));
  return RunIdempotent<v1::ReserveBenefitsResponse>(
      engine_.store().redis(), RequestKey(shard, "ReserveBenefits", req.request_id()),
      engine_.config().idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::ReserveBenefitsResponse* r) -> absl::Status {
        ASSIGN_OR_RETURN(ReservationTxn t, ReservationTxn::LoadForReserve(engine_.store(), req));
        if (t.found()) {  // the same order asking again (a retry after a crash)
          if (!SameReservation(req, t.reservation())) {
            return absl::FailedPreconditionError(
                "reservation_id: order " + req.reservation_id() +
                " already holds other vouchers or points; a reservation never changes");
          }
          *r->mutable_reservation() = t.reservation();
          return absl::OkStatus();
        }
        Effects fx;
        ASSIGN_OR_RETURN(v1::Reservation made,
                         DecideReserve(req, t.slots(), t.account(), engine_.clock().Now(),
                                       engine_.rules(), fx));
        t.reservation() = made;
        t.Stage(batch, fx, engine_.clock().Now(), engine_.rules());
        *r->mutable_reservation() = made;
        return absl::OkStatus();
      });
}

absl::Status CheckoutDesk::Confirm(const v1::ConfirmReservationRequest& req,
                                   v1::ConfirmReservationResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateOrderId("reservation_id", req.reservation_id(), ""));
  ASSIGN_OR_RETURN(const std::string customer,
                   ReservationOwner(engine_.store().redis(), req.reservation_id(), "reservation_id"));
  const int shard = ShardOf(customer);
  return RunIdempotent<v1::ConfirmReservationResponse>(
      engine_.store().redis(), RequestKey(shard, "ConfirmReservation", req.request_id()),
      engine_.config().idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::ConfirmReservationResponse* r) -> absl::Status {
        ASSIGN_OR_RETURN(ReservationTxn t, ReservationTxn::Load(engine_.store(), req.reservation_id(),
                                                                customer, "reservation_id"));
        const bool held = t.reservation().state() == v1::RESERVATION_STATE_HELD;
        std::vector<v1::Voucher> vouchers = t.vouchers();
        Effects fx;
        RETURN_IF_ERROR(DecideConfirm(t.reservation(), vouchers, engine_.clock().Now(), fx));
        if (held) {
          t.set_vouchers(vouchers);
          t.Stage(batch, fx, engine_.clock().Now(), engine_.rules());
        }
        *r->mutable_reservation() = t.reservation();
        return absl::OkStatus();
      });
}

absl::Status CheckoutDesk::Release(const v1::ReleaseReservationRequest& req,
                                   v1::ReleaseReservationResponse* resp) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateOrderId("reservation_id", req.reservation_id(), ""));
  RETURN_IF_ERROR(ValidateText("reason", req.reason(), 1, 500));
  RETURN_IF_ERROR(ValidateAmount("refunded.amount_minor", req.refunded().amount_minor()));
  RETURN_IF_ERROR(ValidateAmount("paid.amount_minor", req.paid().amount_minor()));
  ASSIGN_OR_RETURN(const std::string customer,
                   ReservationOwner(engine_.store().redis(), req.reservation_id(), "reservation_id"));
  const int shard = ShardOf(customer);
  std::optional<RefundShare> share;
  if (req.paid().amount_minor() > 0) {
    share = RefundShare{req.refunded().amount_minor(), req.paid().amount_minor()};
  }
  return RunIdempotent<v1::ReleaseReservationResponse>(
      engine_.store().redis(), RequestKey(shard, "ReleaseReservation", req.request_id()),
      engine_.config().idempotency_ttl, req, resp,
      [&](WriteBatch& batch, v1::ReleaseReservationResponse* r) -> absl::Status {
        ASSIGN_OR_RETURN(ReservationTxn t, ReservationTxn::Load(engine_.store(), req.reservation_id(),
                                                                customer, "reservation_id"));
        std::vector<v1::Voucher> vouchers = t.vouchers();
        Effects fx;
        if (DecideRelease(t.reservation(), vouchers, t.account(), share, req.reason(),
                          engine_.clock().Now(), fx)) {
          t.set_vouchers(vouchers);
          t.Stage(batch, fx, engine_.clock().Now(), engine_.rules());
        }
        *r->mutable_reservation() = t.reservation();
        return absl::OkStatus();
      });
}

}  // namespace revisit::loyalty
