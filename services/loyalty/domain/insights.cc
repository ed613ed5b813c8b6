#include "services/loyalty/domain/insights.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/loyalty/domain/complaints.h"
#include "services/loyalty/domain/ledger.h"
#include "services/loyalty/domain/tiers.h"

namespace revisit::loyalty {
namespace {

int64_t Days(absl::Duration d) { return absl::ToInt64Hours(d) / 24; }

int NewSkusWithin(const internal::Account& account, absl::Time now, absl::Duration window) {
  int n = 0;
  for (const auto& [sku, ms] : account.sku_first_bought_ms()) {
    if (FromMs(ms) > now - window) ++n;
  }
  return n;
}

int OrdersWithin(const internal::Account& account, absl::Time now, absl::Duration window) {
  int n = 0;
  for (const auto& o : account.orders()) {
    if (o.completed() && FromMs(o.completed_at_ms()) > now - window) ++n;
  }
  return n;
}

int ScoreDescending(int64_t value, const std::array<int64_t, 4>& bounds) {
  // value <= b[0] -> 5 ... value > b[3] -> 1.
  for (int i = 0; i < 4; ++i) {
    if (value <= bounds[i]) return 5 - i;
  }
  return 1;
}

int ScoreAscending(int64_t value, const std::array<int64_t, 4>& bounds) {
  // value < b[0] -> 1 ... value >= b[3] -> 5.
  int score = 1;
  for (int i = 0; i < 4; ++i) {
    if (value >= bounds[i]) score = i + 2;
  }
  return score;
}

}  // namespace

ChurnDecision DecideChurn(const internal::Account& account, absl::Time now,
                          const LoyaltyRules& rules) {
  ChurnDecision d;
  const auto& times = account.recent_order_ms();
  if (account.completed_orders() < rules.churn_min_orders || times.size() < 2) {
    d.reason = absl::StrCat(account.completed_orders(), " completed orders: fewer than ",
                            rules.churn_min_orders, " to know a purchase rhythm (L9)");
    return d;
  }
  std::vector<int64_t> gaps;
  for (int i = 1; i < times.size(); ++i) gaps.push_back(std::max<int64_t>(0, times[i] - times[i - 1]));
  std::sort(gaps.begin(), gaps.end());
  size_t m = gaps.size() / 2;
  int64_t median = gaps.size() % 2 ? gaps[m] : (gaps[m - 1] + gaps[m]) / 2;
  d.has_rhythm = true;
  d.median_interval = absl::Milliseconds(median);
  absl::Duration allowance = d.median_interval * rules.churn_factor;
  absl::Time last = FromMs(times[times.size() - 1]);
  d.due = last + allowance;
  d.at_risk = now > d.due;
  d.reason = absl::StrFormat(
      "last order %d days ago; median interval %d days x %.1f = %d days%s (L9)",
      Days(now - last), Days(d.median_interval), rules.churn_factor, Days(allowance),
      d.at_risk ? absl::StrCat(": overdue by ", Days(now - d.due), " days") : ": on rhythm");
  return d;
}

SegmentDecision DecideSegment(const internal::Account& account, absl::Time now,
                              const LoyaltyRules& rules) {
  const int orders = account.completed_orders();
  if (orders == 0) return {v1::SEGMENT_UNSPECIFIED, "no completed order yet (L2)"};
  ChurnDecision churn = DecideChurn(account, now, rules);
  if (orders >= rules.loyal_min_orders && !churn.at_risk) {
    int fresh = NewSkusWithin(account, now, rules.early_adopter_window);
    if (fresh >= rules.early_adopter_min_new_skus) {
      return {v1::SEGMENT_EARLY_ADOPTER,
              absl::StrCat(orders, " orders on rhythm and ", fresh, " products tried for the first "
                           "time in the last ", Days(rules.early_adopter_window), " days (L2)")};
    }
    return {v1::SEGMENT_LOYAL, absl::StrCat(orders, " orders, buying on rhythm (L2)")};
  }
  if (orders >= 2) {
    return {v1::SEGMENT_BRAND_SWITCHER,
            absl::StrCat(orders, " orders but ",
                         churn.at_risk ? "overdue against their rhythm"
                                       : absl::StrCat("fewer than ", rules.loyal_min_orders),
                         ": comes back irregularly (L2)")};
  }
  absl::Time last = FromMs(account.last_order_ms());
  if (now - last > rules.no_loyalty_after) {
    return {v1::SEGMENT_NO_LOYALTY,
            absl::StrCat("one order, ", Days(now - last), " days ago, never returned (L2)")};
  }
  return {v1::SEGMENT_UNSPECIFIED, "one order so far: too early to tell (L2)"};
}

v1::Rfm ScoreRfm(const internal::Account& account, absl::Time now, const LoyaltyRules& rules) {
  v1::Rfm rfm;
  if (account.completed_orders() == 0) return rfm;  // all 0: no purchase to score
  rfm.set_recency(ScoreDescending(Days(now - FromMs(account.last_order_ms())),
                                  rules.rfm_recency_days));
  rfm.set_frequency(ScoreAscending(OrdersWithin(account, now, rules.tier_window),
                                   rules.rfm_frequency_orders));
  rfm.set_monetary(ScoreAscending(RollingSpend(account, now, rules), rules.rfm_monetary_minor));
  return rfm;
}

ClvEstimate EstimateClv(const internal::Account& account, absl::Time now,
                        const LoyaltyRules& rules) {
  ClvEstimate e;
  int64_t net = account.spend_total_minor() - account.refunded_total_minor();
  if (account.completed_orders() == 0 || net <= 0) {
    e.reason = "no net spend yet (L5)";
    return e;
  }
  absl::Duration active = now - FromMs(account.first_order_ms());
  int64_t months = std::max<int64_t>(1, (Days(active) + 29) / 30);
  int64_t monthly = net / months;
  e.value_minor = static_cast<int64_t>(absl::int128(monthly) * rules.clv_lifetime_months);
  e.reason = absl::StrCat("average ", FormatMoney(monthly, rules.currency), " per month over ",
                          months, " months x expected lifetime of ", rules.clv_lifetime_months,
                          " months (L5)");
  return e;
}

NegativeValueDecision DecideNegativeValue(const internal::Account& account, const LoyaltyRules& rules) {
  std::vector<std::string> why;
  const int64_t spent = account.spend_total_minor();
  const int64_t refunded = account.refunded_total_minor();
  if (account.completed_orders() >= rules.negative_min_orders && spent > 0 &&
      absl::int128(refunded) * 100 >= absl::int128(spent) * rules.negative_refund_pct) {
    why.push_back(absl::StrCat("refunded ", FormatMoney(refunded, rules.currency), " of ",
                               FormatMoney(spent, rules.currency), " spent (", refunded * 100 / spent,
                               "% >= ", rules.negative_refund_pct, "%) over ", account.completed_orders(),
                               " orders"));
  }
  const ComplaintTotals t = TotalComplaints(account, rules);
  if (rules.negative_compensated_complaints > 0 && t.compensated >= rules.negative_compensated_complaints &&
      absl::int128(t.compensation_minor) * 100 >= absl::int128(spent) * rules.negative_compensation_pct) {
    why.push_back(absl::StrCat(t.compensated, " complaints compensated with ",
                               FormatMoney(t.compensation_minor, rules.currency), " against ",
                               FormatMoney(spent, rules.currency), " spent (>= ",
                               rules.negative_compensated_complaints, " complaints, >= ",
                               rules.negative_compensation_pct, "%)"));
  }
  if (rules.negative_rejected_complaints > 0 && t.rejected >= rules.negative_rejected_complaints) {
    why.push_back(absl::StrCat(t.rejected, " complaints rejected as unreasonable (C8, >= ",
                               rules.negative_rejected_complaints, ")"));
  }
  NegativeValueDecision d;
  d.negative = !why.empty();
  if (d.negative) d.reason = absl::StrCat(absl::StrJoin(why, "; "), ": review, do not drop (L7)");
  return d;
}

void UpdateInsights(internal::Account& account, absl::Time now, const LoyaltyRules& rules,
                    Effects& effects) {
  ChurnDecision churn = DecideChurn(account, now, rules);
  account.set_churn_risk(churn.at_risk);
  account.set_churn_reason(churn.reason);
  if (churn.at_risk && account.churn_reported_for_ms() != account.last_order_ms()) {
    account.set_churn_reported_for_ms(account.last_order_ms());
    v1::ChurnRiskDetected ev;
    ev.set_customer_id(account.customer_id());
    *ev.mutable_last_order_at() = ToProto(FromMs(account.last_order_ms()));
    ev.set_median_interval_days(Days(churn.median_interval));
    ev.set_overdue_days(Days(now - churn.due));
    ev.set_reason(churn.reason);
    effects.Emit("churn_risk_detected", std::move(ev));
  }

  SegmentDecision seg = DecideSegment(account, now, rules);
  if (seg.segment != account.segment()) {
    v1::SegmentChanged ev;
    ev.set_customer_id(account.customer_id());
    ev.set_from(account.segment());
    ev.set_to(seg.segment);
    ev.set_reason(seg.reason);
    effects.Emit("segment_changed", std::move(ev));
  }
  account.set_segment(seg.segment);
  account.set_segment_reason(seg.reason);

  NegativeValueDecision neg = DecideNegativeValue(account, rules);
  if (neg.negative && !account.negative_value()) {
    v1::NegativeValueFlagged ev;
    ev.set_customer_id(account.customer_id());
    ev.set_reason(neg.reason);
    effects.Emit("negative_value_flagged", std::move(ev));
  }
  account.set_negative_value_reason(neg.reason);
  account.set_negative_value(neg.negative);
}

absl::Time NextInsightCheck(const internal::Account& account, absl::Time now,
                            const LoyaltyRules& rules) {
  absl::Time next = absl::InfiniteFuture();
  ChurnDecision churn = DecideChurn(account, now, rules);
  if (churn.has_rhythm && !churn.at_risk) next = churn.due + absl::Milliseconds(1);
  if (account.completed_orders() == 1) {
    absl::Time aged = FromMs(account.last_order_ms()) + rules.no_loyalty_after + absl::Milliseconds(1);
    if (aged > now) next = std::min(next, aged);
  }
  for (const auto& [sku, ms] : account.sku_first_bought_ms()) {
    absl::Time t = FromMs(ms) + rules.early_adopter_window + absl::Milliseconds(1);
    if (t > now) next = std::min(next, t);
  }
  return next;
}

}  // namespace revisit::loyalty
