// Voucher rules (L4, L8). A voucher is issued once with fixed terms (kind, value,
// minimum spend, validity, reason, source) and redeemed at most once; its terms
// never change after issue (the 小源 case): re-issuing an ID with other terms is
// refused. A free-shipping pass (包邮卡, L8) has no value, lasts one year or for
// life, and is not redeemed: it applies to every order while valid.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_VOUCHERS_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_VOUCHERS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "revisit/common/v1/types.pb.h"
#include "services/loyalty/domain/loyalty_rules.h"

namespace revisit::loyalty {

// How long a yearly free-shipping pass lasts (L8).
inline constexpr absl::Duration kPassYear = absl::Hours(24 * 365);

// Validates a voucher to issue (INVALID_ARGUMENT naming "voucher.<field>" and the
// rule) and fills the defaults: valid_from = now, state ISSUED. voucher_id is left
// to the caller.
absl::Status PrepareVoucher(v1::Voucher& voucher, absl::Time now, const LoyaltyRules& rules);

// True when `requested` (as sent, before PrepareVoucher) names the same terms as the
// already issued `existing`; unset valid_from in the request matches any.
bool SameTerms(const v1::Voucher& requested, const v1::Voucher& existing);

// ISSUED turns EXPIRED after valid_until.
v1::VoucherState EffectiveState(const v1::Voucher& voucher, absl::Time now);

// Checks and applies a redemption: FAILED_PRECONDITION naming the state (redeemed,
// expired, not yet valid, a pass, below minimum spend), INVALID_ARGUMENT for a
// currency mismatch. Redeeming again for the same order is OK and changes nothing.
absl::Status RedeemVoucher(v1::Voucher& voucher, const std::string& order_id,
                           const revisit::common::v1::Money& order_amount, absl::Time now);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_VOUCHERS_H_
