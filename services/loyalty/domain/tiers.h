// Tiers (L3): regular, silver, gold, platinum by spend over a rolling window
// (default 12 months), like an airline card.
//
// Rules:
// - Spend = paid - refunded of orders completed within (now - window, now].
// - Upgrade at once when spend reaches a higher threshold (reason names both).
// - Spend below the current tier's threshold starts a grace period (default 90 days):
//   downgrade_at is set and the tier holds; if spend recovers the pending downgrade is
//   cancelled; when the grace ends the tier drops to what spend then earns.
// - Each change emits tier_changed with the reason and the new tier's benefits.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_TIERS_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_TIERS_H_

#include <cstdint>

#include "absl/time/time.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

// Net spend of orders completed in (now - rules.tier_window, now].
int64_t RollingSpend(const internal::Account& account, absl::Time now, const LoyaltyRules& rules);

// The tier `spend_minor` earns.
v1::Tier TierForSpend(int64_t spend_minor, const LoyaltyRules& rules);

// Re-evaluates the tier at `now` (see the file comment); emits tier_changed.
void EvaluateTier(internal::Account& account, absl::Time now, const LoyaltyRules& rules,
                  Effects& effects);

// The next time the tier decision can change without a new event: the end of a grace
// period or the moment the oldest in-window order leaves the window.
absl::Time NextTierCheck(const internal::Account& account, absl::Time now,
                         const LoyaltyRules& rules);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_TIERS_H_
