// The three guarantees (三包) and fault rules (C13, C14): what remedies an order
// line is eligible for by right at a given time, and why.
//
// Pure and table-driven. A SanbaoPolicy holds one Rule per SKU, per category and a
// default (SKU wins over category, category over default); every window counts from
// delivery (O4). CheckEligibility answers for every RemedyKind:
//   - FULL_REFUND (return), EXCHANGE, REPAIR (warranty) by the windows and by fault;
//   - PARTIAL_REFUND whenever a return, exchange or repair is owed (keep the goods
//     against part of the money, by agreement);
//   - VOUCHER, POINTS, GIFT: always possible as compensation within authority (C8);
//   - APOLOGY: always (C3).
// Fault (C14): quality defect, not as described (C15), wrong/missing item, and
// transit damage signed for WITH inspection are the shop's fault: postage is paid
// by the shop. Transit damage signed for without inspection is the customer's
// loss: repair help only. Misuse is not a defect: repair with care guidance, no
// refund or exchange by right. Other causes (delay, attitude, expectation gap) get
// the no-reason return (七天无理由) when the rule allows it, postage by the customer.
// Discounted goods and free gifts are covered like any other line unless the defect
// was disclosed before the sale (C13, PRC Consumer Rights Protection Law art. 22);
// a free gift has nothing to refund, so it gets exchange or repair instead.
// Thread-safety: pure functions; a SanbaoPolicy is an immutable value once built.
#ifndef REVISIT_SERVICES_COMPLAINT_DOMAIN_ELIGIBILITY_H_
#define REVISIT_SERVICES_COMPLAINT_DOMAIN_ELIGIBILITY_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "revisit/complaint/v1/complaint.pb.h"
#include "revisit/order/v1/events.pb.h"

namespace revisit::complaint {

// The 三包 terms for one SKU or category (C13).
struct SanbaoRule {
  int return_days = 7;
  int exchange_days = 15;
  int warranty_days = 365;
  // Who provides the warranty service, and who pays for repairs under it.
  v1::Party warranty_provider = v1::PARTY_SHOP;
  v1::Party warranty_paid_by = v1::PARTY_SHOP;
  // What the warranty covers, shown in reasons (e.g. "motor and battery").
  std::string warranty_scope = "manufacturing defects";
  // The no-reason return (七天无理由) within return_days; false for e.g. food.
  bool no_reason_return = true;
};

// Rules per SKU and category with a default. Parsed from JSON:
//   {"default": {...}, "categories": {"shoes": {...}}, "skus": {"SKU-1": {...}}}
// where each rule object may set return_days, exchange_days, warranty_days,
// warranty_provider ("shop"|"manufacturer"), warranty_paid_by
// ("shop"|"manufacturer"|"customer"), warranty_scope, no_reason_return; unset
// fields inherit from the default rule.
struct SanbaoPolicy {
  SanbaoRule default_rule;
  std::map<std::string, SanbaoRule> by_category;
  std::map<std::string, SanbaoRule> by_sku;

  // The rule for a line: SKU, else category, else default.
  const SanbaoRule& RuleFor(const std::string& sku, const std::string& category) const;
};

// Parses the JSON above; INVALID_ARGUMENT naming the bad field. Empty text = defaults.
absl::StatusOr<SanbaoPolicy> ParseSanbaoPolicy(const std::string& json);

// The facts of one order line that decide eligibility (from the order projection).
struct LineFacts {
  std::string sku;
  std::string category;
  bool discounted = false;
  bool free_gift = false;
  bool defect_disclosed = false;
  // Unset: not delivered yet, no window has started.
  std::optional<absl::Time> delivered_at;
  bool inspected_on_receipt = false;
  // Extra warranty promised for this order (O8 EXTENDED_WARRANTY).
  int extra_warranty_days = 0;
  // The terms recorded when the order was paid (O8): they win over the live policy,
  // so a policy change applies only to later orders. Unset: the live policy.
  std::optional<SanbaoRule> recorded;
};

// The terms of `rule` as recorded on an order, and back (O8).
v1::SanbaoTerms TermsOf(const SanbaoRule& rule);
SanbaoRule RuleOf(const v1::SanbaoTerms& terms);
// The terms of every line of an order under `policy`, recorded at `now`.
v1::OrderTerms RecordTerms(const SanbaoPolicy& policy, const order::v1::OrderFacts& order,
                           absl::Time now);
// The rule CheckEligibility uses for `line`: the recorded one, else the policy's.
const SanbaoRule& EffectiveRule(const SanbaoPolicy& policy, const LineFacts& line);

// Who is at fault for a determined cause (C14).
enum class Fault { kShop, kCustomerLoss, kMisuse, kNone };
Fault FaultOf(v1::Cause cause, bool inspected_on_receipt);

// One answer per RemedyKind (FULL_REFUND .. APOLOGY, in enum order).
std::vector<v1::RemedyEligibility> CheckEligibility(const SanbaoPolicy& policy,
                                                    const LineFacts& line, v1::Cause cause,
                                                    absl::Time at);

// The answer for `kind` from a CheckEligibility result (not eligible if absent).
v1::RemedyEligibility Find(const std::vector<v1::RemedyEligibility>& answers,
                           v1::RemedyKind kind);

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_DOMAIN_ELIGIBILITY_H_
