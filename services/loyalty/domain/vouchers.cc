#include "services/loyalty/domain/vouchers.h"


#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "services/loyalty/domain/effects.h"

namespace revisit::loyalty {
namespace {

bool ValidCurrency(const std::string& c) {
  if (c.size() != 3) return false;
  for (char ch : c) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(ch))) return false;
  }
  return true;
}

bool SameMoney(const revisit::common::v1::Money& a, const revisit::common::v1::Money& b) {
  return a.amount_minor() == b.amount_minor() &&
         (a.amount_minor() == 0 || a.currency() == b.currency());
}

bool SameTime(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() == b.seconds() && a.nanos() == b.nanos();
}

}  // namespace

absl::Status PrepareVoucher(v1::Voucher& v, absl::Time now, const LoyaltyRules& rules) {
  if (v.customer_id().empty()) return absl::InvalidArgumentError("voucher.customer_id: required");
  if (v.kind() == v1::VOUCHER_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError("voucher.kind: required");
  }
  if (!v1::VoucherKind_IsValid(v.kind())) {
    return absl::InvalidArgumentError(absl::StrCat("voucher.kind: unknown value ", v.kind()));
  }
  if (v.state() != v1::VOUCHER_STATE_UNSPECIFIED && v.state() != v1::VOUCHER_STATE_ISSUED) {
    return absl::InvalidArgumentError("voucher.state: must be unset or ISSUED when issuing");
  }
  if (v.categories_size() > 20) {
    return absl::InvalidArgumentError("voucher.categories: at most 20 (the scope, L4)");
  }
  for (const auto& c : v.categories()) {
    if (c.empty() || c.size() > 64) {
      return absl::InvalidArgumentError("voucher.categories: each 1..64 bytes");
    }
  }
  if (!v.redeemed_order_id().empty() || v.has_redeemed_at() || !v.reserved_order_id().empty()) {
    return absl::InvalidArgumentError("voucher.redeemed_*: must be unset when issuing");
  }
  if (!v.has_valid_from()) *v.mutable_valid_from() = ToProto(now);
  absl::Time from = FromProto(v.valid_from());
  const bool pass = v.kind() == v1::VOUCHER_KIND_FREE_SHIPPING_PASS;
  if (pass) {
    if (v.value().amount_minor() != 0 || v.min_spend().amount_minor() != 0) {
      return absl::InvalidArgumentError(
          "voucher.value: a free-shipping pass has no value or minimum spend (L8)");
    }
    if (v.has_valid_until() && FromProto(v.valid_until()) != from + kPassYear) {
      return absl::InvalidArgumentError(
          "voucher.valid_until: a free-shipping pass lasts one year (valid_from + 365 days) or "
          "for life (unset) (L8)");
    }
  } else {
    if (auto st = ValidateAmount("voucher.value.amount_minor", v.value().amount_minor(), 1); !st.ok()) {
      return st;
    }
    if (!ValidCurrency(v.value().currency())) {
      return absl::InvalidArgumentError("voucher.value.currency: must be three upper-case letters");
    }
    if (v.value().currency() != rules.currency) {
      return absl::InvalidArgumentError(
          absl::StrCat("voucher.value.currency: must be ", rules.currency));
    }
    if (auto st = ValidateAmount("voucher.min_spend.amount_minor", v.min_spend().amount_minor()); !st.ok()) {
      return st;
    }
    if (v.min_spend().amount_minor() > 0 && v.min_spend().currency() != v.value().currency()) {
      return absl::InvalidArgumentError("voucher.min_spend.currency: must equal value.currency");
    }
    if (v.has_valid_until() && FromProto(v.valid_until()) <= std::max(from, now)) {
      return absl::InvalidArgumentError(
          "voucher.valid_until: must be after valid_from and in the future (usable, L4)");
    }
  }
  if (v.reason().size() > 500) return absl::InvalidArgumentError("voucher.reason: at most 500 characters");
  if (v.source().size() > 128) return absl::InvalidArgumentError("voucher.source: at most 128 bytes");
  v.set_state(v1::VOUCHER_STATE_ISSUED);
  return absl::OkStatus();
}

bool SameTerms(const v1::Voucher& r, const v1::Voucher& e) {
  return r.customer_id() == e.customer_id() && r.kind() == e.kind() &&
         SameMoney(r.value(), e.value()) && SameMoney(r.min_spend(), e.min_spend()) &&
         (!r.has_valid_from() || SameTime(r.valid_from(), e.valid_from())) &&
         r.has_valid_until() == e.has_valid_until() &&
         SameTime(r.valid_until(), e.valid_until()) && r.reason() == e.reason() &&
         std::equal(r.categories().begin(), r.categories().end(), e.categories().begin(),
                    e.categories().end()) &&
         r.source() == e.source();
}

v1::VoucherState EffectiveState(const v1::Voucher& v, absl::Time now) {
  if (v.state() == v1::VOUCHER_STATE_ISSUED && v.has_valid_until() &&
      now >= FromProto(v.valid_until())) {
    return v1::VOUCHER_STATE_EXPIRED;
  }
  return v.state();
}

absl::Status RedeemVoucher(v1::Voucher& v, const std::string& order_id,
                           const revisit::common::v1::Money& amount, absl::Time now) {
  if (order_id.empty()) return absl::InvalidArgumentError("order_id: required");
  if (v.kind() == v1::VOUCHER_KIND_FREE_SHIPPING_PASS) {
    return absl::FailedPreconditionError(absl::StrCat(
        "voucher ", v.voucher_id(),
        " is a free-shipping pass: it applies to every order while valid and is not redeemed (L8)"));
  }
  if (v.state() == v1::VOUCHER_STATE_REDEEMED) {
    if (v.redeemed_order_id() == order_id) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "voucher ", v.voucher_id(), " is REDEEMED (order ", v.redeemed_order_id(),
        "): a voucher is redeemed once (L4)"));
  }
  if (v.state() == v1::VOUCHER_STATE_RESERVED) {
    return absl::FailedPreconditionError(absl::StrCat(
        "voucher ", v.voucher_id(), " is RESERVED by order ", v.reserved_order_id(),
        " at checkout: it is spent or released with that order (L4)"));
  }
  if (EffectiveState(v, now) == v1::VOUCHER_STATE_EXPIRED) {
    return absl::FailedPreconditionError(
        absl::StrCat("voucher ", v.voucher_id(), " is EXPIRED: cannot redeem"));
  }
  if (v.has_valid_from() && now < FromProto(v.valid_from())) {
    return absl::FailedPreconditionError(
        absl::StrCat("voucher ", v.voucher_id(), " is not valid yet: cannot redeem"));
  }
  if (v.min_spend().amount_minor() > 0) {
    if (amount.currency() != v.min_spend().currency()) {
      return absl::InvalidArgumentError(absl::StrCat("order_amount.currency: must be ",
                                                     v.min_spend().currency()));
    }
    if (amount.amount_minor() < v.min_spend().amount_minor()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "voucher ", v.voucher_id(), " needs a minimum spend of ", v.min_spend().amount_minor(),
          " minor units; order amount is ", amount.amount_minor()));
    }
  }
  v.set_state(v1::VOUCHER_STATE_REDEEMED);
  v.set_redeemed_order_id(order_id);
  *v.mutable_redeemed_at() = ToProto(now);
  return absl::OkStatus();
}

}  // namespace revisit::loyalty
