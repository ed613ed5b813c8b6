#include "services/loyalty/domain/regular_vouchers.h"

#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/proto_time.h"

namespace revisit::loyalty {

int RecentKeptOrders(const internal::Account& account, absl::Time now, const LoyaltyRules& rules) {
  const int64_t since = ToMs(now - rules.regular_window);
  int n = 0;
  for (const auto& o : account.orders()) {
    const bool kept = o.completed() && !o.cancelled() && o.refunded_minor() < o.paid_minor();
    if (kept && o.completed_at_ms() > since && o.completed_at_ms() <= ToMs(now)) ++n;
  }
  return n;
}

int64_t RegularPeriod(absl::Time now, const LoyaltyRules& rules) {
  absl::Duration rest;
  return absl::IDivDuration(now - absl::UnixEpoch(), rules.regular_period, &rest);
}

std::string RegularVoucherId(const std::string& customer_id, int64_t period) {
  return StableEntityId("vch", ShardOf(customer_id), absl::StrCat("regular:", customer_id, ":", period));
}

bool IssueRegularVoucher(internal::Account& account, absl::Time now, const LoyaltyRules& rules,
                         Effects& effects) {
  if (rules.regular_min_orders <= 0 || rules.regular_period <= absl::ZeroDuration()) return false;
  if (account.negative_value()) return false;  // L7: under review, not rewarded
  const int64_t period = RegularPeriod(now, rules);
  if (account.regular_voucher_period() >= period) return false;  // one per period
  const int orders = RecentKeptOrders(account, now, rules);
  if (orders < rules.regular_min_orders) return false;
  v1::Voucher v;
  v.set_voucher_id(RegularVoucherId(account.customer_id(), period));
  v.set_customer_id(account.customer_id());
  v.set_kind(v1::VOUCHER_KIND_REGULAR_REWARD);
  v.mutable_value()->set_amount_minor(rules.regular_voucher_minor);
  v.mutable_value()->set_currency(rules.currency);
  v.mutable_min_spend()->set_amount_minor(rules.regular_min_spend_minor);
  v.mutable_min_spend()->set_currency(rules.currency);
  *v.mutable_valid_from() = ToProto(now);
  *v.mutable_valid_until() = ToProto(now + rules.regular_validity);
  v.set_state(v1::VOUCHER_STATE_ISSUED);
  v.set_reason(absl::StrCat("regular customer: ", orders, " kept orders in the last ",
                            absl::ToInt64Hours(rules.regular_window) / 24,
                            " days (L4)"));
  v.set_source(absl::StrCat("regular:", period));
  account.set_regular_voucher_period(period);
  v1::VoucherIssued ev;
  *ev.mutable_voucher() = v;
  effects.vouchers.push_back(std::move(v));
  effects.Emit("voucher_issued", std::move(ev));
  return true;
}

}  // namespace revisit::loyalty
