// OrderCheckout (order_checkout.h): the checkout saga with loyalty (L4, L8).
#include "services/order/edge/order_checkout.h"

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/keys.h"
#include "common/timer_queue.h"
#include "services/order/domain/decide.h"
#include "services/order/domain/pricing.h"
#include "services/order/store/order_events.h"

namespace revisit::order {
namespace {

// A loyalty refusal keeps its code (the customer's vouchers or points do not fit);
// loyalty down or slow is UNAVAILABLE (retry).
absl::Status FromLoyalty(const grpc::Status& st, const std::string& what) {
  const auto code = st.error_code();
  if (code == grpc::StatusCode::INVALID_ARGUMENT || code == grpc::StatusCode::NOT_FOUND ||
      code == grpc::StatusCode::FAILED_PRECONDITION) {
    return Annotate(FromGrpcStatus(st), "loyalty refused " + what);
  }
  return absl::UnavailableError("loyalty unavailable for " + what + " (" + st.error_message() +
                                "): retry");
}

std::unique_ptr<grpc::ClientContext> Ctx(absl::Duration deadline) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
  return ctx;
}

}  // namespace

std::string CheckoutOrderId(int shard, const std::string& customer_id,
                            const std::string& request_id) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a 64
  for (char c : customer_id + "\n" + request_id) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return absl::StrFormat("ord-%02x-%016x", shard, h);
}

OrderCheckout::OrderCheckout(const OrderConfig& config, OrderStore& store, const Clock& clock,
                             loyalty::v1::LoyaltyService::StubInterface* loyalty)
    : config_(config), store_(store), clock_(clock), loyalty_(loyalty) {}

absl::StatusOr<bool> OrderCheckout::FreeShipping(const std::string& customer_id,
                                                 const std::string& order_id, std::string* reason) {
  if (!loyalty_) {
    *reason = "no loyalty service configured: the shipping fee applies";
    return false;
  }
  loyalty::v1::GetShippingPerksRequest req;
  req.set_customer_id(customer_id);
  req.set_order_id(order_id);
  loyalty::v1::GetShippingPerksResponse resp;
  grpc::Status st = loyalty_->GetShippingPerks(Ctx(config_.checkout_deadline).get(), req, &resp);
  if (!st.ok()) return FromLoyalty(st, "the free-shipping check");
  for (int b : resp.benefits()) {
    if (b == loyalty::v1::BENEFIT_FREE_SHIPPING) {
      *reason = "free-shipping pass or tier benefit (L8)";
      return true;
    }
  }
  *reason = "no free-shipping pass or tier benefit";
  return false;
}

absl::StatusOr<CheckoutFacts> OrderCheckout::Gather(const v1::CreateOrderRequest& req,
                                                    const std::string& order_id,
                                                    const PromisedDiscount& promised_discount) {
  CheckoutFacts f;
  const bool spends = req.voucher_ids_size() > 0 || req.points() > 0;
  if (!spends) {
    if (config_.shipping_fee_minor == 0) return f;
    ASSIGN_OR_RETURN(f.free_shipping, FreeShipping(req.customer_id(), order_id, &f.shipping_reason));
    return f;
  }
  if (!loyalty_) return absl::FailedPreconditionError("voucher_ids: no loyalty service configured");
  ASSIGN_OR_RETURN(int64_t subtotal, CheckedSubtotal(req.lines()));
  ASSIGN_OR_RETURN(int64_t promised, promised_discount(req.lines(0).unit_price().currency()));
  loyalty::v1::ReserveBenefitsRequest r;
  r.set_request_id("reserve:" + order_id);
  r.set_reservation_id(order_id);
  r.set_customer_id(req.customer_id());
  *r.mutable_voucher_ids() = req.voucher_ids();
  r.set_points(req.points());
  for (const auto& l : req.lines()) {
    auto* cl = r.add_lines();
    cl->set_category(l.category());
    cl->mutable_amount()->set_amount_minor(l.unit_price().amount_minor() * l.quantity());
    cl->mutable_amount()->set_currency(l.unit_price().currency());
  }
  r.mutable_payable()->set_amount_minor(std::max<int64_t>(0, subtotal - promised));
  r.mutable_payable()->set_currency(req.lines(0).unit_price().currency());
  *r.mutable_hold_until() = ToProto(clock_.Now() + config_.benefits_hold);
  loyalty::v1::ReserveBenefitsResponse resp;
  grpc::Status st = loyalty_->ReserveBenefits(Ctx(config_.checkout_deadline).get(), r, &resp);
  if (!st.ok()) return FromLoyalty(st, "the vouchers or points");
  const auto& res = resp.reservation();
  if (res.state() == loyalty::v1::RESERVATION_STATE_RELEASED) {  // an old retry
    return absl::FailedPreconditionError("request_id: the vouchers and points of order " + order_id +
                                         " were already released (" + res.release_reason() +
                                         "); place the order again with a new request_id");
  }
  f.reserved = true;
  f.voucher_discount = res.voucher_discount().amount_minor();
  f.points_discount = res.points_discount().amount_minor();
  f.free_shipping = res.free_shipping();
  f.shipping_reason = res.free_shipping_reason();
  f.hold_until = res.hold_until();
  return f;
}

absl::Status OrderCheckout::Confirm(const v1::Order& order) {
  if (!loyalty_) return absl::FailedPreconditionError("order_id: no loyalty service configured");
  loyalty::v1::ConfirmReservationRequest r;
  r.set_request_id("confirm:" + order.order_id());
  r.set_reservation_id(order.order_id());
  loyalty::v1::ConfirmReservationResponse resp;
  grpc::Status st = loyalty_->ConfirmReservation(Ctx(config_.checkout_deadline).get(), r, &resp);
  if (!st.ok()) return FromLoyalty(st, "the payment's vouchers and points");
  return absl::OkStatus();
}

absl::Status OrderCheckout::CancelUnpaid(const std::string& order_id) {
  absl::Status st = MutateWithRetry([&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto o, store_.GetOrder(order_id, "order_id"));
    const absl::Time now = clock_.Now();
    if (o.value.state() != v1::ORDER_STATE_CREATED ||
        o.value.checkout().benefits() != v1::BENEFITS_STATE_HELD ||
        now < FromProto(o.value.checkout().hold_until())) {
      return absl::OkStatus();
    }
    v1::CancelOrderRequest req;
    req.set_reason("not paid before its vouchers and points were released (L4)");
    ASSIGN_OR_RETURN(auto shard, ShardOfEntityId(order_id, "ord", "order_id"));
    ASSIGN_OR_RETURN(OrderEffects e, DecideCancel(o.value, req, NewEntityId("rfd", shard), now));
    WriteBatch batch;
    StageOrder(batch, shard, o.version, e, now);  // re-arms "benefits:" due now
    return batch.Commit(store_.redis()).status();
  });
  return st;
}

absl::Status OrderCheckout::SyncBenefits(const std::string& order_id) {
  auto o = store_.GetOrder(order_id, "order_id");
  if (!o.ok()) return o.status().code() == absl::StatusCode::kNotFound ? absl::OkStatus() : o.status();
  const v1::Order& order = o->value;
  if (order.state() == v1::ORDER_STATE_CREATED) {
    // Unpaid when the hold ends: cancelled, so that a hold loyalty confirmed for a
    // payment that was never stored (a crash between the two) is given back too.
    return order.checkout().benefits() == v1::BENEFITS_STATE_HELD ? CancelUnpaid(order_id)
                                                                   : absl::OkStatus();
  }
  if (!loyalty_ || order.checkout().benefits() == v1::BENEFITS_STATE_NONE ||
      order.checkout().benefits() == v1::BENEFITS_STATE_UNSPECIFIED) {
    return absl::OkStatus();
  }
  loyalty::v1::ReleaseReservationRequest r;
  r.set_reservation_id(order_id);
  const bool cancelled = order.state() == v1::ORDER_STATE_CANCELLED;
  if (cancelled) {  // everything back, whatever was paid
    r.set_reason("order cancelled: " + order.cancel_reason().substr(0, 400));
  } else {
    if (order.refunded().amount_minor() == 0) return absl::OkStatus();
    r.set_reason("order refunded");
    *r.mutable_refunded() = order.refunded();
    *r.mutable_paid() = order.paid();
  }
  r.set_request_id(absl::StrCat("release:", order_id, ":", cancelled ? "all" : "refund", ":",
                                order.refunded().amount_minor()));
  loyalty::v1::ReleaseReservationResponse resp;
  grpc::Status st = loyalty_->ReleaseReservation(Ctx(config_.checkout_deadline).get(), r, &resp);
  if (!st.ok()) return FromLoyalty(st, "giving back the vouchers and points");
  return absl::OkStatus();
}

void OrderCheckout::ReleaseAfterFailure(const std::string& order_id, const std::string& why) {
  if (!loyalty_) return;  // nothing was reserved
  loyalty::v1::ReleaseReservationRequest r;
  r.set_request_id("release:" + order_id + ":unplaced");
  r.set_reservation_id(order_id);
  r.set_reason(("order not placed: " + why).substr(0, 480));
  loyalty::v1::ReleaseReservationResponse resp;
  grpc::Status st = loyalty_->ReleaseReservation(Ctx(config_.checkout_deadline).get(), r, &resp);
  if (!st.ok()) {  // loyalty's hold timer releases it at hold_until
    LogWarn("release after a failed checkout left to loyalty's timer",
            {{"order_id", order_id}, {"error", st.error_message()}});
  }
}

}  // namespace revisit::order
