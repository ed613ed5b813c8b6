// Account decisions: how each consumed order event and each periodic review changes
// one customer's loyalty account (L1-L9). Pure: the caller loads the Account, calls
// one function with explicit times, and commits the Account with the Effects.
//
// Idempotency at the domain level (beneath the ce_id inbox of the store): an order
// completes once, a refund_id applies once, a registration records once, so even a
// replay whose inbox records have expired changes nothing.
// Points use the tier held when the order completes, before that order's spend counts.
// Errors: INVALID_ARGUMENT naming the field for an event that cannot be applied
// (missing order ID, foreign currency); the consumer dead-letters it.
// Thread-safety: pure functions over the caller's Account.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_ACCOUNT_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_ACCOUNT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "revisit/order/v1/events.pb.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

// A fresh account for `customer_id`.
internal::Account NewAccount(const std::string& customer_id);

// customer.registered: records the referrer (L6). Self-referral is refused, and so is
// a referral recorded after the customer's first completed order (not-first-order).
void OnCustomerRegistered(internal::Account& account,
                          const revisit::order::v1::CustomerRegistered& event, absl::Time now,
                          const LoyaltyRules& rules, Effects& effects);

// order.completed: spend, pending points, referral reward on the first order (L6),
// then Review.
absl::Status OnOrderCompleted(internal::Account& account,
                              const revisit::order::v1::OrderFacts& order,
                              const std::string& source_id, absl::Time now,
                              const LoyaltyRules& rules, Effects& effects);

// order.refunded: reverses points in proportion (L4); a full refund of the first order
// a referral reward was given for takes the reward back (L6: effects.referral with
// reversal, asked again on every later full-refund fact of that order and applied once
// by the referrer's side, ReferralDedupeKey; a partial refund keeps it), then Review.
absl::Status OnOrderRefunded(internal::Account& account,
                             const revisit::order::v1::OrderFacts& order,
                             const revisit::order::v1::Refund& refund,
                             const std::string& source_id, absl::Time now,
                             const LoyaltyRules& rules, Effects& effects);

// order.cancelled: cancelled before shipment, so normally nothing was earned; a
// completed order is reversed in full (and a referral reward for it taken back, L6).
absl::Status OnOrderCancelled(internal::Account& account,
                              const revisit::order::v1::OrderFacts& order,
                              const std::string& source_id, absl::Time now,
                              const LoyaltyRules& rules, Effects& effects);

// The referrer's side of a referral reward (L6): AWARD entry + referral_rewarded.
void ApplyReferralReward(internal::Account& referrer, const ReferralReward& reward,
                         absl::Time now, Effects& effects);

// The referrer's side of a reversal (L6): REVERSE entry of -points from available
// (may go negative, like a refund of redeemed points) + referral_reversed.
void ApplyReferralReversal(internal::Account& referrer, const ReferralReward& reversal,
                           absl::Time now, Effects& effects);

// Periodic re-evaluation: release due points, expiry warning/expiry, tier, churn,
// segment, negative value, this period's voucher for a regular (L4,
// regular_vouchers.h); prunes old order records.
void Review(internal::Account& account, absl::Time now, const LoyaltyRules& rules,
            Effects& effects);

// When Review should next run (never later than now + review_interval).
absl::Time NextReviewAt(const internal::Account& account, absl::Time now,
                        const LoyaltyRules& rules);

// True when a free-shipping pass (L8) is valid at `now`.
bool HasFreeShipping(const internal::Account& account, absl::Time now);

// Benefits that apply now: the tier's, plus parcel gift (O7, repeat customer) and
// free shipping from a pass (L8).
std::vector<v1::Benefit> CurrentBenefits(const internal::Account& account, absl::Time now);

// O7 perks for an order being shipped.
v1::GetShippingPerksResponse DecidePerks(const internal::Account& account, absl::Time now);

// O7 perks for a customer loyalty has no account for yet (registered a moment ago
// and not projected, or loyalty lagging): shipped as a first order, no gift, with the
// reason. Never an error: a shipment is not delayed or failed for a perk.
v1::GetShippingPerksResponse PerksWithoutAccount(const std::string& customer_id, absl::Time now);

// The profile (without class and vouchers, which the store adds).
v1::Profile BuildProfile(const internal::Account& account, absl::Time now,
                         const LoyaltyRules& rules);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_ACCOUNT_H_
