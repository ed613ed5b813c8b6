// Vouchers for regulars (L4: "vouchers for regulars that are genuinely usable"): the
// pure rule that decides who is a regular and issues them a voucher, by itself.
//
//   regular   at least rules.regular_min_orders kept orders (completed, neither
//             cancelled nor refunded in full) completed within rules.regular_window
//             before now, and not flagged for review as negative value (L7: a
//             customer under review is not rewarded until the review clears).
//   voucher   VOUCHER_KIND_REGULAR_REWARD of rules.regular_voucher_minor off a spend
//             of at least rules.regular_min_spend_minor, every category, valid from
//             now for rules.regular_validity; its terms never change once issued.
//   how often one per period: period = floor(now / rules.regular_period) since the
//             Unix epoch (calendar-free, the same for every customer), remembered on
//             the account (regular_voucher_period); the voucher ID is derived from
//             (customer, period), so the same decision made twice is one voucher.
// Run from Review (account.h), so a completed order or the periodic review timer
// issues it; the store writes the voucher with the account change (Effects::vouchers)
// and publishes voucher_issued.
// Thread-safety: pure functions over the caller's Account.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_REGULAR_VOUCHERS_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_REGULAR_VOUCHERS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

// Kept orders completed within the regular window before `now`.
int RecentKeptOrders(const internal::Account& account, absl::Time now, const LoyaltyRules& rules);

// The period index of `now` (>= 1 for any time after the epoch's first period).
int64_t RegularPeriod(absl::Time now, const LoyaltyRules& rules);

// "vch-<shard>-<16 hex>" of (customer, period): deterministic (common/keys.h).
std::string RegularVoucherId(const std::string& customer_id, int64_t period);

// Issues this period's voucher when the customer is a regular and has none for it:
// records the period on the account, appends the voucher to effects.vouchers and a
// voucher_issued event. Returns true when it issued one.
bool IssueRegularVoucher(internal::Account& account, absl::Time now, const LoyaltyRules& rules,
                         Effects& effects);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_REGULAR_VOUCHERS_H_
