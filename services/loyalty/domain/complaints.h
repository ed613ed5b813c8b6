// Complaint facts for the negative-value rule (L7): how each consumed complaint event
// changes one customer's loyalty account. Pure: the caller loads the Account, calls
// one function with explicit times, and commits the Account with the Effects.
//
//   complaint.resolved  the executed remedy: refunds, vouchers and gifts (money in the
//                       loyalty currency) and points are compensation granted (C9)
//   complaint.rejected  rejected as unreasonable (C8) or by a platform ruling (C12)
//   complaint.reopened  a rejection is no longer final: it stops counting
// Each then re-runs the insights (UpdateInsights: negative_value.flagged once).
//
// Idempotency at the domain level (beneath the ce_id inbox of the store): a remedy
// counts once per (complaint, remedy ID), and rejected is a flag per complaint, so a
// replay whose inbox records have expired changes nothing.
// Errors: INVALID_ARGUMENT naming the field for an event without complaint or
// customer ID; the consumer dead-letters it.
// Thread-safety: pure functions over the caller's Account.
#ifndef REVISIT_SERVICES_LOYALTY_DOMAIN_COMPLAINTS_H_
#define REVISIT_SERVICES_LOYALTY_DOMAIN_COMPLAINTS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "revisit/complaint/v1/events.pb.h"
#include "services/loyalty/domain/effects.h"
#include "services/loyalty/domain/loyalty_rules.h"
#include "services/loyalty/loyalty_state.pb.h"

namespace revisit::loyalty {

absl::Status OnComplaintResolved(internal::Account& account,
                                 const revisit::complaint::v1::ComplaintResolved& event,
                                 absl::Time now, const LoyaltyRules& rules, Effects& effects);

absl::Status OnComplaintRejected(internal::Account& account,
                                 const revisit::complaint::v1::ComplaintRejected& event,
                                 absl::Time now, const LoyaltyRules& rules, Effects& effects);

absl::Status OnComplaintReopened(internal::Account& account,
                                 const revisit::complaint::v1::ComplaintReopened& event,
                                 absl::Time now, const LoyaltyRules& rules, Effects& effects);

// Totals over the account's complaints, for the L7 rule (insights.h).
struct ComplaintTotals {
  int compensated = 0;             // complaints with compensation granted
  int64_t compensation_minor = 0;  // money plus points at negative_point_value_minor
  int rejected = 0;                // rejected and not reopened since
};
ComplaintTotals TotalComplaints(const internal::Account& account, const LoyaltyRules& rules);

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_DOMAIN_COMPLAINTS_H_
