// The points ledger maths (L4). Every balance change goes through Post(), which
// appends one immutable LedgerEntry and applies its deltas, so for every account
//   points_available == sum(available_delta) and points_pending == sum(pending_delta).
//
// Choices (documented per the issue):
// - Points = floor(amount_major * points_per_major * tier multiplier %), computed in
//   integer minor units; the tier is the tier at completion.
// - Earned points are PENDING until completion + return window, then RELEASED.
// - A refund reverses points in proportion to the refunded share of the amount the
//   points were earned on; the target is recomputed from the cumulative refund, so
//   several partial refunds never drift by rounding, and a full refund reverses all.
//   Pending points are reversed from pending; released points from available.
// - NEGATIVE BALANCE: if released points were already redeemed, the reversal is
//   still taken from available, which may go negative. Nothing is clawed from other
//   orders' pending points. Because the balance is the sum of the ledger, later
//   releases and awards recover the debt first; redemption needs balance >= points,
//   so a customer cannot spend while in debt. Expiry only takes a positive balance.
// - Expiry: available points expire after `expiry_inactivity` without an earning or
//   a redemption; a points_expiring warning goes out `expiry_warning` before.
// Thread-safety: pure functions over the caller's Account.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_LEDGER_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_LEDGER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

using internal::Account;
using internal::OrderRecord;

// Appends one entry (ID led-<seq>) to `effects` and applies its deltas to `account`.
const v1::LedgerEntry& Post(Account& account, Effects& effects, v1::EntryKind kind,
                            int64_t available_delta, int64_t pending_delta,
                            const std::string& reason, const std::string& source_id,
                            absl::Time at);

// The sequence number of a ledger entry ID (led-<seq>, as Post() makes them);
// DATA_LOSS naming the ID for anything else (a corrupt stored entry). Never throws.
absl::StatusOr<int64_t> LedgerSeqOf(const std::string& entry_id);

// Points for `amount_minor` at `tier` (floor; 0 for non-positive amounts).
int64_t PointsFor(int64_t amount_minor, v1::Tier tier, const LoyaltyRules& rules);

// Earns pending points for a just-completed `order` (basis_minor set): entry EARN,
// event points_earned, available_at = completion + return window.
void EarnForOrder(Account& account, OrderRecord& order, const std::string& source_id,
                  const LoyaltyRules& rules, Effects& effects);

// Releases every order whose return window has passed by `now` (RELEASE entries,
// points_available events). Returns how many were released.
int ReleaseDue(Account& account, absl::Time now, Effects& effects);

// Reverses points of `order` in proportion to `refunded_minor` (cumulative refund of
// the order) and records it. No-op when the target is already reversed.
void ReverseForRefund(Account& account, OrderRecord& order, int64_t refunded_minor,
                      const std::string& source_id, absl::Time at, Effects& effects);

// Redeems `points` (1..available): FAILED_PRECONDITION naming the balance otherwise.
absl::Status Redeem(Account& account, int64_t points, const std::string& reason,
                    const std::string& source_id, absl::Time now, Effects& effects);

// Awards `points` (compensation, referral reward) straight to available.
void Award(Account& account, int64_t points, const std::string& reason,
           const std::string& source_id, absl::Time now, Effects& effects);

// When available points expire if nothing happens (InfiniteFuture without activity).
absl::Time ExpiryAt(const Account& account, const LoyaltyRules& rules);

// Warns (points_expiring, once per expiry time) or expires (EXPIRE entry,
// points_expired) available points by `now`.
void CheckExpiry(Account& account, absl::Time now, const LoyaltyRules& rules, Effects& effects);

// "123.45 CNY".
std::string FormatMoney(int64_t minor, const std::string& currency);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_LEDGER_H_
