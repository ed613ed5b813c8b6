#include "services/loyalty/domain/account.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/loyalty/domain/insights.h"
#include "services/loyalty/domain/ledger.h"
#include "services/loyalty/domain/regular_vouchers.h"
#include "services/loyalty/domain/tiers.h"

namespace revisit::loyalty {
namespace {

using internal::Account;
using internal::OrderRecord;
using revisit::order::v1::OrderFacts;

OrderRecord* FindOrder(Account& account, const std::string& order_id) {
  for (auto& o : *account.mutable_orders()) {
    if (o.order_id() == order_id) return &o;
  }
  return nullptr;
}

OrderRecord& FindOrAddOrder(Account& account, const std::string& order_id) {
  if (OrderRecord* o = FindOrder(account, order_id)) return *o;
  OrderRecord* o = account.add_orders();
  o->set_order_id(order_id);
  return *o;
}

absl::Status CheckOrder(const OrderFacts& order, const LoyaltyRules& rules) {
  if (order.order_id().empty()) return absl::InvalidArgumentError("order.order_id: required");
  const auto& money = order.paid().currency().empty() ? order.total() : order.paid();
  if (!money.currency().empty() && money.currency() != rules.currency) {
    return absl::InvalidArgumentError(absl::StrCat("order.paid.currency: ", money.currency(),
                                                   " is not the loyalty currency ",
                                                   rules.currency));
  }
  return absl::OkStatus();
}

int64_t PaidOf(const OrderFacts& order) {
  return order.has_paid() && order.paid().amount_minor() > 0 ? order.paid().amount_minor()
                                                             : order.total().amount_minor();
}

void RecordCompletion(Account& account, OrderRecord& rec, const OrderFacts& order,
                      absl::Time completed, const LoyaltyRules& rules) {
  int64_t refunded = std::max(rec.refunded_minor(), order.refunded().amount_minor());
  rec.set_completed(true);
  rec.set_completed_at_ms(ToMs(completed));
  rec.set_paid_minor(PaidOf(order));
  rec.set_refunded_minor(refunded);
  rec.set_basis_minor(std::max<int64_t>(0, rec.paid_minor() - refunded));
  account.set_spend_total_minor(account.spend_total_minor() + rec.paid_minor());
  account.set_refunded_total_minor(account.refunded_total_minor() + refunded);
  account.set_completed_orders(account.completed_orders() + 1);
  int64_t ms = ToMs(completed);
  if (account.first_order_ms() == 0 || ms < account.first_order_ms()) account.set_first_order_ms(ms);
  account.set_last_order_ms(std::max(account.last_order_ms(), ms));
  auto* times = account.mutable_recent_order_ms();
  times->Add(ms);
  std::sort(times->begin(), times->end());
  while (times->size() > rules.churn_history) times->erase(times->begin());
  auto* skus = account.mutable_sku_first_bought_ms();
  for (const auto& line : order.lines()) {
    if (line.sku().empty() || line.free_gift()) continue;
    rec.add_skus(line.sku());
    skus->insert({line.sku(), ms});  // keeps the first purchase
  }
}

void Prune(Account& account, absl::Time now, const LoyaltyRules& rules) {
  auto* orders = account.mutable_orders();
  int64_t cutoff = ToMs(now - rules.order_retention);
  orders->erase(std::remove_if(orders->begin(), orders->end(),
                               [&](const OrderRecord& o) {
                                 return o.completed() && o.released() &&
                                        o.completed_at_ms() < cutoff;
                               }),
                orders->end());
  auto* skus = account.mutable_sku_first_bought_ms();
  for (auto it = skus->begin(); it != skus->end();) {
    it = it->second < cutoff ? skus->erase(it) : std::next(it);
  }
}

// L6: the referred customer's first order, the one rewarded, refunded in full (a
// cancellation after completion counts as one): the reward is taken back. Every such
// fact asks for the reversal again; it happens once because the referrer's side
// commits it with Dedupe(referral_reversal:<referred_id>), atomically with the REVERSE
// entry (ReferralDedupeKey, store/loyalty_store.h): the one dedupe of a reversal.
void MaybeReverseReferral(Account& account, const OrderRecord& rec, const LoyaltyRules& rules,
                          Effects& effects) {
  if (!account.referral_rewarded()) return;
  if (rec.order_id() != account.referral_order_id()) return;
  if (rec.paid_minor() <= 0 || rec.refunded_minor() < rec.paid_minor()) return;  // partial: kept
  const int64_t points =
      account.referral_points() > 0 ? account.referral_points() : rules.referral_reward_points;
  account.set_referral_note(absl::StrCat("first order ", rec.order_id(),
                                         " refunded in full: referral reward of ", points,
                                         " points taken back from ", account.referrer_id(),
                                         " (L6)"));
  effects.referral = ReferralReward{account.referrer_id(), account.customer_id(), rec.order_id(),
                                    points, /*reversal=*/true};
}

}  // namespace

Account NewAccount(const std::string& customer_id) {
  Account a;
  a.set_customer_id(customer_id);
  a.set_tier(v1::TIER_REGULAR);
  a.set_tier_reason("new customer starts as regular (L3)");
  return a;
}

void OnCustomerRegistered(Account& account, const revisit::order::v1::CustomerRegistered& event,
                          absl::Time now, const LoyaltyRules& rules, Effects& effects) {
  if (account.registered()) return;  // replay
  account.set_registered(true);
  absl::Time at = event.has_registered_at() ? FromProto(event.registered_at()) : now;
  account.set_registered_at_ms(ToMs(at));
  if (account.tier_since_ms() == 0) account.set_tier_since_ms(ToMs(at));
  const std::string& referrer = event.referrer_id();
  if (referrer.empty()) return;
  if (referrer == account.customer_id()) {
    account.set_referral_note("self-referral refused: no reward (L6)");
    return;
  }
  if (account.completed_orders() > 0) {
    account.set_referral_note(absl::StrCat("referral by ", referrer,
                                           " refused: recorded after the first completed order (L6)"));
    return;
  }
  account.set_referrer_id(referrer);
  account.set_referral_note(absl::StrCat("referred by ", referrer,
                                         ": reward on the first completed order (L6)"));
}

absl::Status OnOrderCompleted(Account& account, const OrderFacts& order,
                              const std::string& source_id, absl::Time now,
                              const LoyaltyRules& rules, Effects& effects) {
  if (auto st = CheckOrder(order, rules); !st.ok()) return st;
  OrderRecord& rec = FindOrAddOrder(account, order.order_id());
  if (rec.completed() || rec.cancelled()) return absl::OkStatus();  // replay or impossible
  absl::Time completed = order.has_completed_at() ? FromProto(order.completed_at()) : now;
  RecordCompletion(account, rec, order, completed, rules);
  EarnForOrder(account, rec, source_id, rules, effects);
  if (!account.referrer_id().empty() && !account.referral_rewarded()) {
    if (account.completed_orders() == 1 && rec.refunded_minor() >= rec.paid_minor() &&
        rec.paid_minor() > 0) {
      account.set_referral_note(absl::StrCat("first order ", order.order_id(),
                                             " was refunded in full before completion: no "
                                             "referral reward (L6)"));
    } else if (account.completed_orders() == 1) {
      account.set_referral_rewarded(true);
      account.set_referral_order_id(order.order_id());
      account.set_referral_points(rules.referral_reward_points);
      account.set_referral_note(absl::StrCat("referrer ", account.referrer_id(), " rewarded ",
                                             rules.referral_reward_points, " points for order ",
                                             order.order_id(), " (L6)"));
      effects.referral = ReferralReward{account.referrer_id(), account.customer_id(),
                                        order.order_id(), rules.referral_reward_points};
    } else {
      account.set_referral_note(absl::StrCat("order ", order.order_id(),
                                             " is not the first completed order: no referral "
                                             "reward (L6)"));
    }
  }
  Review(account, now, rules, effects);
  return absl::OkStatus();
}

absl::Status OnOrderRefunded(Account& account, const OrderFacts& order,
                             const revisit::order::v1::Refund& refund,
                             const std::string& source_id, absl::Time now,
                             const LoyaltyRules& rules, Effects& effects) {
  if (auto st = CheckOrder(order, rules); !st.ok()) return st;
  OrderRecord& rec = FindOrAddOrder(account, order.order_id());
  const std::string refund_key = refund.refund_id().empty() ? source_id : refund.refund_id();
  for (const auto& id : rec.refund_ids()) {
    if (id == refund_key) return absl::OkStatus();  // replay
  }
  rec.add_refund_ids(refund_key);
  int64_t cumulative = std::max(order.refunded().amount_minor(),
                                rec.refunded_minor() + refund.amount().amount_minor());
  if (rec.completed()) {
    int64_t delta = std::max<int64_t>(0, cumulative - rec.refunded_minor());
    account.set_refunded_total_minor(account.refunded_total_minor() + delta);
    absl::Time at = refund.has_refunded_at() ? FromProto(refund.refunded_at()) : now;
    ReverseForRefund(account, rec, cumulative, source_id, at, effects);
    MaybeReverseReferral(account, rec, rules, effects);
  } else {
    rec.set_refunded_minor(std::max(rec.refunded_minor(), cumulative));
  }
  Review(account, now, rules, effects);
  return absl::OkStatus();
}

absl::Status OnOrderCancelled(Account& account, const OrderFacts& order,
                              const std::string& source_id, absl::Time now,
                              const LoyaltyRules& rules, Effects& effects) {
  if (auto st = CheckOrder(order, rules); !st.ok()) return st;
  OrderRecord& rec = FindOrAddOrder(account, order.order_id());
  if (rec.cancelled()) return absl::OkStatus();
  rec.set_cancelled(true);
  if (rec.completed() && rec.refunded_minor() < rec.paid_minor()) {
    account.set_refunded_total_minor(account.refunded_total_minor() + rec.paid_minor() -
                                     rec.refunded_minor());
    ReverseForRefund(account, rec, rec.paid_minor(), source_id, now, effects);
    MaybeReverseReferral(account, rec, rules, effects);
  }
  Review(account, now, rules, effects);
  return absl::OkStatus();
}

void ApplyReferralReward(Account& referrer, const ReferralReward& reward, absl::Time now,
                         Effects& effects) {
  Award(referrer, reward.points,
        absl::StrCat("referred ", reward.referred_id, " completed a first order ", reward.order_id,
                     " (L6)"),
        "referral:" + reward.referred_id, now, effects);
  v1::ReferralRewarded ev;
  ev.set_referrer_id(reward.referrer_id);
  ev.set_referred_id(reward.referred_id);
  ev.set_order_id(reward.order_id);
  ev.set_points(reward.points);
  effects.Emit("referral_rewarded", std::move(ev));
}

void ApplyReferralReversal(Account& referrer, const ReferralReward& reversal, absl::Time now,
                           Effects& effects) {
  const auto& entry = Post(
      referrer, effects, v1::ENTRY_KIND_REVERSE, -reversal.points, 0,
      absl::StrCat("referred ", reversal.referred_id, "'s first order ", reversal.order_id,
                   " was refunded in full: referral reward taken back (L6)"),
      "referral-reversal:" + reversal.referred_id, now);
  v1::ReferralReversed ev;
  ev.set_referrer_id(reversal.referrer_id);
  ev.set_referred_id(reversal.referred_id);
  ev.set_order_id(reversal.order_id);
  ev.set_points(reversal.points);
  *ev.mutable_entry() = entry;
  effects.Emit("referral_reversed", std::move(ev));
}

void Review(Account& account, absl::Time now, const LoyaltyRules& rules, Effects& effects) {
  ReleaseDue(account, now, effects);
  CheckExpiry(account, now, rules, effects);
  EvaluateTier(account, now, rules, effects);
  UpdateInsights(account, now, rules, effects);
  IssueRegularVoucher(account, now, rules, effects);  // L4, after the L7 flag is current
  Prune(account, now, rules);
}

absl::Time NextReviewAt(const Account& account, absl::Time now, const LoyaltyRules& rules) {
  absl::Time next = now + rules.review_interval;
  for (const auto& o : account.orders()) {
    if (o.completed() && !o.released()) next = std::min(next, FromMs(o.available_at_ms()));
  }
  if (account.points_available() > 0) {
    absl::Time expires = ExpiryAt(account, rules);
    absl::Time warn = expires - rules.expiry_warning;
    next = std::min(next, now < warn ? warn : expires);
  }
  next = std::min(next, NextTierCheck(account, now, rules));
  next = std::min(next, NextInsightCheck(account, now, rules));
  return std::max(next, now);
}

bool HasFreeShipping(const Account& account, absl::Time now) {
  return account.free_shipping_lifetime() ||
         (account.free_shipping_until_ms() != 0 && now < FromMs(account.free_shipping_until_ms()));
}

std::vector<v1::Benefit> CurrentBenefits(const Account& account, absl::Time now) {
  std::vector<v1::Benefit> out = TierBenefits(account.tier());
  if (account.completed_orders() > 0) out.push_back(v1::BENEFIT_PARCEL_GIFT);
  if (HasFreeShipping(account, now)) out.push_back(v1::BENEFIT_FREE_SHIPPING);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

v1::GetShippingPerksResponse DecidePerks(const Account& account, absl::Time now) {
  v1::GetShippingPerksResponse r;
  r.set_tier(account.tier() == v1::TIER_UNSPECIFIED ? v1::TIER_REGULAR : account.tier());
  for (auto b : CurrentBenefits(account, now)) r.add_benefits(b);
  r.set_parcel_gift(account.completed_orders() > 0);
  r.set_reason(account.completed_orders() > 0
                   ? absl::StrCat("repeat customer: ", account.completed_orders(),
                                  " completed orders before this one (O7)")
                   : "first order: no parcel gift yet (O7)");
  return r;
}

v1::GetShippingPerksResponse PerksWithoutAccount(const std::string& customer_id, absl::Time now) {
  v1::GetShippingPerksResponse r = DecidePerks(NewAccount(customer_id), now);
  r.set_reason(absl::StrCat("loyalty has no account for ", customer_id,
                            " yet (new customer, or its events are not projected yet): no "
                            "parcel gift (O7)"));
  return r;
}

v1::Profile BuildProfile(const Account& account, absl::Time now, const LoyaltyRules& rules) {
  v1::Profile p;
  p.set_customer_id(account.customer_id());
  p.set_tier(account.tier() == v1::TIER_UNSPECIFIED ? v1::TIER_REGULAR : account.tier());
  p.set_tier_reason(account.tier_reason());
  if (account.tier_since_ms()) *p.mutable_tier_since() = ToProto(FromMs(account.tier_since_ms()));
  if (account.downgrade_at_ms()) *p.mutable_downgrade_at() = ToProto(FromMs(account.downgrade_at_ms()));
  SegmentDecision seg = DecideSegment(account, now, rules);
  p.set_segment(seg.segment);
  p.set_segment_reason(seg.reason);
  p.set_points_available(account.points_available());
  p.set_points_pending(account.points_pending());
  ClvEstimate clv = EstimateClv(account, now, rules);
  p.mutable_lifetime_value()->set_amount_minor(clv.value_minor);
  p.mutable_lifetime_value()->set_currency(rules.currency);
  p.set_lifetime_value_reason(clv.reason);
  ChurnDecision churn = DecideChurn(account, now, rules);
  p.set_churn_risk(churn.at_risk);
  p.set_churn_reason(churn.reason);
  *p.mutable_rfm() = ScoreRfm(account, now, rules);
  for (auto b : CurrentBenefits(account, now)) p.add_benefits(b);
  p.set_negative_value(account.negative_value());
  p.set_negative_value_reason(account.negative_value_reason());
  auto money = [&](revisit::common::v1::Money* m, int64_t v) {
    m->set_amount_minor(v);
    m->set_currency(rules.currency);
  };
  money(p.mutable_spend_12m(), RollingSpend(account, now, rules));
  money(p.mutable_spend_total(), account.spend_total_minor());
  money(p.mutable_refunded_total(), account.refunded_total_minor());
  p.set_completed_orders(account.completed_orders());
  if (account.first_order_ms()) *p.mutable_first_order_at() = ToProto(FromMs(account.first_order_ms()));
  if (account.last_order_ms()) *p.mutable_last_order_at() = ToProto(FromMs(account.last_order_ms()));
  p.set_referrer_id(account.referrer_id());
  return p;
}

}  // namespace revisit::loyalty
