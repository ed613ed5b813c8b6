#include "services/loyalty/domain/complaints.h"

#include <limits>
#include <string>

#include "common/money.h"
#include "services/loyalty/domain/insights.h"

namespace revisit::loyalty {
namespace {

namespace cv1 = ::revisit::complaint::v1;
using internal::Account;
using internal::ComplaintRecord;

absl::Status Check(const cv1::ComplaintFacts& f) {
  if (f.complaint_id().empty()) return absl::InvalidArgumentError("complaint.complaint_id: required");
  if (f.customer_id().empty()) return absl::InvalidArgumentError("complaint.customer_id: required");
  return absl::OkStatus();
}

ComplaintRecord& FindOrAdd(Account& account, const std::string& complaint_id) {
  for (auto& c : *account.mutable_complaints()) {
    if (c.complaint_id() == complaint_id) return c;
  }
  ComplaintRecord* c = account.add_complaints();
  c->set_complaint_id(complaint_id);
  return *c;
}

// Sums of received amounts saturate instead of wrapping (common/money.h).
constexpr int64_t kSaturated = std::numeric_limits<int64_t>::max();
int64_t SaturatingAdd(int64_t a, int64_t b) { return CheckedAdd(a, b).value_or(kSaturated); }

bool IsMoney(cv1::RemedyKind k) {
  return k == cv1::REMEDY_KIND_FULL_REFUND || k == cv1::REMEDY_KIND_PARTIAL_REFUND ||
         k == cv1::REMEDY_KIND_VOUCHER || k == cv1::REMEDY_KIND_GIFT;
}

// Points valued for the compensation share (rules.negative_point_value_minor each).
int64_t PointsValue(int64_t points, const LoyaltyRules& rules) {
  return CheckedMul(points, rules.negative_point_value_minor).value_or(kSaturated);
}

}  // namespace

absl::Status OnComplaintResolved(Account& account, const cv1::ComplaintResolved& event, absl::Time now,
                                 const LoyaltyRules& rules, Effects& effects) {
  if (absl::Status st = Check(event.complaint()); !st.ok()) return st;
  const cv1::Remedy& r = event.remedy();
  ComplaintRecord& rec = FindOrAdd(account, event.complaint().complaint_id());
  for (const auto& id : rec.remedy_ids()) {
    if (id == r.remedy_id()) return absl::OkStatus();  // counted already
  }
  rec.add_remedy_ids(r.remedy_id());
  rec.set_updated_at_ms(ToMs(now));
  // Money in another currency is not comparable with spend: the complaint still
  // counts as compensated only through points or money in the loyalty currency.
  const auto& money = r.amount();
  if (IsMoney(r.kind()) && money.amount_minor() > 0 &&
      (money.currency().empty() || money.currency() == rules.currency)) {
    rec.set_compensation_minor(SaturatingAdd(rec.compensation_minor(), money.amount_minor()));
  }
  if (r.kind() == cv1::REMEDY_KIND_POINTS && r.points() > 0) {
    rec.set_compensation_points(SaturatingAdd(rec.compensation_points(), r.points()));
  }
  UpdateInsights(account, now, rules, effects);
  return absl::OkStatus();
}

absl::Status OnComplaintRejected(Account& account, const cv1::ComplaintRejected& event, absl::Time now,
                                 const LoyaltyRules& rules, Effects& effects) {
  if (absl::Status st = Check(event.complaint()); !st.ok()) return st;
  ComplaintRecord& rec = FindOrAdd(account, event.complaint().complaint_id());
  rec.set_rejected(true);
  rec.set_updated_at_ms(ToMs(now));
  UpdateInsights(account, now, rules, effects);
  return absl::OkStatus();
}

absl::Status OnComplaintReopened(Account& account, const cv1::ComplaintReopened& event, absl::Time now,
                                 const LoyaltyRules& rules, Effects& effects) {
  if (absl::Status st = Check(event.complaint()); !st.ok()) return st;
  ComplaintRecord& rec = FindOrAdd(account, event.complaint().complaint_id());
  rec.set_rejected(false);
  rec.set_updated_at_ms(ToMs(now));
  UpdateInsights(account, now, rules, effects);
  return absl::OkStatus();
}

ComplaintTotals TotalComplaints(const Account& account, const LoyaltyRules& rules) {
  ComplaintTotals t;
  for (const auto& c : account.complaints()) {
    const int64_t value =
        SaturatingAdd(c.compensation_minor(), PointsValue(c.compensation_points(), rules));
    if (c.compensation_minor() > 0 || c.compensation_points() > 0) ++t.compensated;
    t.compensation_minor = SaturatingAdd(t.compensation_minor, value);
    if (c.rejected()) ++t.rejected;
  }
  return t;
}

}  // namespace revisit::loyalty
