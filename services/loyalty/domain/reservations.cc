#include "services/loyalty/domain/reservations.h"

#include <algorithm>
#include <set>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/money.h"
#include "services/loyalty/domain/account.h"
#include "services/loyalty/domain/ledger.h"
#include "services/loyalty/domain/vouchers.h"

namespace revisit::loyalty {
namespace {

using Lines = google::protobuf::RepeatedPtrField<v1::CheckoutLine>;

// Sum of the lines in the voucher's categories (all when it names none); lines are
// validated amounts (<= 10^15, at most 100), so the sum fits.
int64_t InScope(const v1::Voucher& v, const Lines& lines) {
  int64_t sum = 0;
  for (const auto& l : lines) {
    const bool in = v.categories().empty() ||
                    std::find(v.categories().begin(), v.categories().end(), l.category()) !=
                        v.categories().end();
    if (in) sum += l.amount().amount_minor();
  }
  return sum;
}

std::string Scope(const v1::Voucher& v) {
  return v.categories().empty() ? std::string("any category")
                                : "categories " + absl::StrJoin(v.categories(), ", ");
}

revisit::common::v1::Money Cny(int64_t minor, const std::string& currency) {
  revisit::common::v1::Money m;
  m.set_amount_minor(minor);
  m.set_currency(currency);
  return m;
}

// The event `Event` about reservation `r`.
template <typename Event>
Event About(const v1::Reservation& r) {
  Event ev;
  *ev.mutable_reservation() = r;
  return ev;
}

// Gives every voucher of the reservation back (ISSUED, terms unchanged).
void ReturnVouchers(std::vector<v1::Voucher>& vouchers) {
  for (auto& v : vouchers) {
    v.set_state(v1::VOUCHER_STATE_ISSUED);
    v.clear_reserved_order_id();
    v.clear_redeemed_order_id();
    v.clear_redeemed_at();
  }
}

// Gives back points so that `target` of the reservation's points are returned.
int64_t ReturnPoints(v1::Reservation& r, internal::Account& account, int64_t target,
                     const std::string& reason, absl::Time now, Effects& fx) {
  const int64_t n = target - r.points_returned();
  if (n <= 0) return 0;
  Post(account, fx, v1::ENTRY_KIND_RETURN, n, 0, reason,
       absl::StrCat("release:", r.reservation_id(), ":", target), now);
  r.set_points_returned(target);
  return n;
}

}  // namespace

absl::StatusOr<int64_t> VoucherDiscount(const v1::Voucher& v, const std::string& customer_id,
                                        const std::string& order_id, const Lines& lines,
                                        absl::Time now) {
  const std::string id = v.voucher_id();
  if (v.customer_id() != customer_id) {
    return absl::InvalidArgumentError("voucher_ids: voucher " + id + " is not customer_id's");
  }
  if (v.kind() == v1::VOUCHER_KIND_FREE_SHIPPING_PASS) {
    return absl::FailedPreconditionError(absl::StrCat(
        "voucher ", id, " is a free-shipping pass: it waives shipping by itself and is not spent (L8)"));
  }
  if (v.state() == v1::VOUCHER_STATE_REDEEMED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "voucher ", id, " is REDEEMED (order ", v.redeemed_order_id(), "): a voucher is spent once (L4)"));
  }
  if (v.state() == v1::VOUCHER_STATE_RESERVED && v.reserved_order_id() != order_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "voucher ", id, " is RESERVED by order ", v.reserved_order_id(),
        " until that order is paid or cancelled, or its hold expires (L4)"));
  }
  if (EffectiveState(v, now) == v1::VOUCHER_STATE_EXPIRED) {
    return absl::FailedPreconditionError(absl::StrCat("voucher ", id, " is EXPIRED (valid until ",
                                                      absl::FormatTime(FromProto(v.valid_until())), ")"));
  }
  if (v.has_valid_from() && now < FromProto(v.valid_from())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "voucher ", id, " is not valid before ", absl::FormatTime(FromProto(v.valid_from()))));
  }
  const int64_t in_scope = InScope(v, lines);
  if (in_scope == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("voucher ", id, " applies to ", Scope(v), "; the order has no such line (L4)"));
  }
  if (in_scope < v.min_spend().amount_minor()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "voucher ", id, " needs a minimum spend of ", FormatMoney(v.min_spend().amount_minor(), v.min_spend().currency()),
        " on ", Scope(v), "; the order has ", FormatMoney(in_scope, v.min_spend().currency()), " (L4)"));
  }
  return std::min(v.value().amount_minor(), in_scope);
}

absl::StatusOr<v1::Reservation> DecideReserve(const v1::ReserveBenefitsRequest& req,
                                              VoucherSlots& vouchers, internal::Account& account,
                                              absl::Time now, const LoyaltyRules& rules,
                                              Effects& fx) {
  const std::string& cur = rules.currency;
  int64_t voucher_sum = 0;
  std::set<std::string> seen;
  for (size_t i = 0; i < vouchers.size(); ++i) {
    const std::string field = absl::StrCat("voucher_ids[", i, "]");
    if (!seen.insert(req.voucher_ids(i)).second) {
      return absl::InvalidArgumentError(field + ": voucher " + req.voucher_ids(i) + " named twice");
    }
    if (!vouchers[i]) return absl::NotFoundError(field + ": no voucher " + req.voucher_ids(i));
    absl::StatusOr<int64_t> d =
        VoucherDiscount(*vouchers[i], req.customer_id(), req.reservation_id(), req.lines(), now);
    if (!d.ok()) return d.status();
    voucher_sum += *d;  // <= 10 x 10^15: fits
  }
  const int64_t payable = req.payable().amount_minor();
  const int64_t voucher_discount = std::min(voucher_sum, payable);
  const std::optional<int64_t> points_value = CheckedMul(req.points(), rules.point_value_minor);
  if (!points_value || *points_value > payable - voucher_discount) {
    return absl::FailedPreconditionError(absl::StrCat(
        "points: ", req.points(), " points at ", rules.point_value_minor,
        " minor units each are worth more than the ", FormatMoney(payable - voucher_discount, cur),
        " left to pay after vouchers"));
  }
  if (req.points() > 0) {
    absl::Status st = Redeem(account, req.points(), "spent on order " + req.reservation_id(),
                             "checkout:" + req.reservation_id(), now, fx);
    if (!st.ok()) return st;
  }
  v1::Reservation r;
  r.set_reservation_id(req.reservation_id());
  r.set_customer_id(req.customer_id());
  *r.mutable_voucher_ids() = req.voucher_ids();
  r.set_points(req.points());
  *r.mutable_voucher_discount() = Cny(voucher_discount, cur);
  *r.mutable_points_discount() = Cny(*points_value, cur);
  const std::vector<v1::Benefit> benefits = CurrentBenefits(account, now);
  r.set_free_shipping(std::find(benefits.begin(), benefits.end(), v1::BENEFIT_FREE_SHIPPING) !=
                      benefits.end());
  r.set_free_shipping_reason(r.free_shipping() ? "free-shipping pass or tier benefit (L8)"
                                               : "no free-shipping pass or tier benefit");
  r.set_state(v1::RESERVATION_STATE_HELD);
  *r.mutable_hold_until() = req.hold_until();
  *r.mutable_reserved_at() = ToProto(now);
  for (auto& v : vouchers) {
    v->set_state(v1::VOUCHER_STATE_RESERVED);
    v->set_reserved_order_id(req.reservation_id());
  }
  fx.Emit("benefits_reserved", About<v1::BenefitsReserved>(r));
  return r;
}

bool SameReservation(const v1::ReserveBenefitsRequest& req, const v1::Reservation& r) {
  return req.customer_id() == r.customer_id() && req.points() == r.points() &&
         std::equal(req.voucher_ids().begin(), req.voucher_ids().end(), r.voucher_ids().begin(),
                    r.voucher_ids().end());
}

absl::Status DecideConfirm(v1::Reservation& r, std::vector<v1::Voucher>& vouchers, absl::Time now,
                           Effects& fx) {
  if (r.state() == v1::RESERVATION_STATE_CONFIRMED) return absl::OkStatus();
  if (r.state() != v1::RESERVATION_STATE_HELD) {
    return absl::FailedPreconditionError(absl::StrCat(
        "reservation_id: the benefits of order ", r.reservation_id(), " were released (",
        r.release_reason(), "); the order cannot be paid with them"));
  }
  r.set_state(v1::RESERVATION_STATE_CONFIRMED);
  *r.mutable_confirmed_at() = ToProto(now);
  for (auto& v : vouchers) {
    v.set_state(v1::VOUCHER_STATE_REDEEMED);
    v.set_redeemed_order_id(r.reservation_id());
    *v.mutable_redeemed_at() = ToProto(now);
    v.clear_reserved_order_id();
  }
  fx.Emit("benefits_confirmed", About<v1::BenefitsConfirmed>(r));
  return absl::OkStatus();
}

bool DecideRelease(v1::Reservation& r, std::vector<v1::Voucher>& vouchers,
                   internal::Account& account, const std::optional<RefundShare>& share,
                   const std::string& reason, absl::Time now, Effects& fx) {
  if (r.state() == v1::RESERVATION_STATE_RELEASED) return false;
  const bool full = !share || share->paid_minor <= 0 || share->refunded_minor >= share->paid_minor;
  if (!full && r.state() != v1::RESERVATION_STATE_CONFIRMED) return false;  // unpaid: nothing refunded
  const int64_t target =
      full ? r.points()
           : static_cast<int64_t>(absl::int128(r.points()) * share->refunded_minor / share->paid_minor);
  const int64_t n = ReturnPoints(r, account, target, "given back: " + reason, now, fx);
  if (!full && n == 0) return false;
  if (full) {
    ReturnVouchers(vouchers);
    r.set_vouchers_returned(true);
    r.set_state(v1::RESERVATION_STATE_RELEASED);
    *r.mutable_released_at() = ToProto(now);
    r.set_release_reason(reason);
  }
  v1::BenefitsReleased ev = About<v1::BenefitsReleased>(r);
  ev.set_points(n);
  fx.Emit("benefits_released", std::move(ev));
  return true;
}

bool DecideExpire(v1::Reservation& r, std::vector<v1::Voucher>& vouchers,
                  internal::Account& account, absl::Time now, Effects& fx) {
  if (r.state() != v1::RESERVATION_STATE_HELD || now < FromProto(r.hold_until())) return false;
  return DecideRelease(r, vouchers, account, std::nullopt,
                       "not confirmed by " + absl::FormatTime(FromProto(r.hold_until())) +
                           ": the order was not paid in time",
                       now, fx);
}

}  // namespace revisit::loyalty
