#include "services/loyalty/domain/tiers.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "services/loyalty/domain/ledger.h"

namespace revisit::loyalty {

int TierIndex(v1::Tier tier) {
  switch (tier) {
    case v1::TIER_SILVER: return 1;
    case v1::TIER_GOLD: return 2;
    case v1::TIER_PLATINUM: return 3;
    default: return 0;
  }
}

std::vector<v1::Benefit> TierBenefits(v1::Tier tier) {
  switch (tier) {
    case v1::TIER_SILVER:
      return {v1::BENEFIT_EARLY_PRODUCT_NOTICE};
    case v1::TIER_GOLD:
      return {v1::BENEFIT_EARLY_PRODUCT_NOTICE, v1::BENEFIT_PRIORITY_COMPLAINT_HANDLING};
    case v1::TIER_PLATINUM:
      return {v1::BENEFIT_EARLY_PRODUCT_NOTICE, v1::BENEFIT_PRIORITY_COMPLAINT_HANDLING,
              v1::BENEFIT_DEDICATED_CONTACT, v1::BENEFIT_FREE_SHIPPING};
    default:
      return {};
  }
}

namespace {

constexpr v1::Tier kTiers[] = {v1::TIER_REGULAR, v1::TIER_SILVER, v1::TIER_GOLD,
                               v1::TIER_PLATINUM};

std::string TierLabel(v1::Tier t) {
  switch (t) {
    case v1::TIER_SILVER: return "silver";
    case v1::TIER_GOLD: return "gold";
    case v1::TIER_PLATINUM: return "platinum";
    default: return "regular";
  }
}

int64_t Threshold(v1::Tier t, const LoyaltyRules& rules) {
  int i = TierIndex(t);
  return i == 0 ? 0 : rules.tier_thresholds_minor[i - 1];
}

void Change(internal::Account& account, v1::Tier to, const std::string& reason, int64_t spend,
            absl::Time now, const LoyaltyRules& rules, Effects& effects) {
  v1::TierChanged ev;
  ev.set_customer_id(account.customer_id());
  ev.set_from(account.tier());
  ev.set_to(to);
  ev.set_reason(reason);
  for (auto b : TierBenefits(to)) ev.add_benefits(b);
  ev.mutable_spend_12m()->set_amount_minor(spend);
  ev.mutable_spend_12m()->set_currency(rules.currency);
  account.set_tier(to);
  account.set_tier_reason(reason);
  account.set_tier_since_ms(ToMs(now));
  account.set_downgrade_at_ms(0);
  effects.Emit("tier_changed", std::move(ev));
}

}  // namespace

int64_t RollingSpend(const internal::Account& account, absl::Time now,
                     const LoyaltyRules& rules) {
  int64_t from = ToMs(now - rules.tier_window), to = ToMs(now);
  int64_t spend = 0;
  for (const auto& o : account.orders()) {
    if (o.completed() && o.completed_at_ms() > from && o.completed_at_ms() <= to) {
      spend += std::max<int64_t>(0, o.paid_minor() - o.refunded_minor());
    }
  }
  return spend;
}

v1::Tier TierForSpend(int64_t spend_minor, const LoyaltyRules& rules) {
  v1::Tier tier = v1::TIER_REGULAR;
  for (v1::Tier t : kTiers) {
    if (spend_minor >= Threshold(t, rules)) tier = t;
  }
  return tier;
}

void EvaluateTier(internal::Account& account, absl::Time now, const LoyaltyRules& rules,
                  Effects& effects) {
  int64_t spend = RollingSpend(account, now, rules);
  v1::Tier target = TierForSpend(spend, rules);
  std::string spend_text = absl::StrCat("rolling ", absl::ToInt64Hours(rules.tier_window) / 24,
                                        "-day spend ", FormatMoney(spend, rules.currency));
  if (account.tier() == v1::TIER_UNSPECIFIED) {
    account.set_tier(v1::TIER_REGULAR);
    account.set_tier_reason("new customer starts as regular (L3)");
    account.set_tier_since_ms(ToMs(now));
  }
  v1::Tier current = account.tier();
  if (TierIndex(target) > TierIndex(current)) {
    Change(account, target,
           absl::StrCat(spend_text, " reached the ", TierLabel(target), " threshold ",
                        FormatMoney(Threshold(target, rules), rules.currency), " (L3)"),
           spend, now, rules, effects);
    return;
  }
  if (TierIndex(target) == TierIndex(current)) {
    if (account.downgrade_at_ms() != 0) {
      account.set_downgrade_at_ms(0);
      account.set_tier_reason(absl::StrCat(spend_text, " recovered to the ", TierLabel(current),
                                           " threshold: pending downgrade cancelled (L3)"));
    }
    return;
  }
  // target below current: grace period first.
  if (account.downgrade_at_ms() == 0) {
    absl::Time at = now + rules.downgrade_grace;
    account.set_downgrade_at_ms(ToMs(at));
    account.set_tier_reason(absl::StrCat(
        spend_text, " is below the ", TierLabel(current), " threshold ",
        FormatMoney(Threshold(current, rules), rules.currency), ": downgrade to ",
        TierLabel(target), " at ", absl::FormatTime("%Y-%m-%d", at, absl::UTCTimeZone()),
        " unless spend recovers (grace ", absl::ToInt64Hours(rules.downgrade_grace) / 24,
        " days, L3)"));
    return;
  }
  if (now >= FromMs(account.downgrade_at_ms())) {
    Change(account, target,
           absl::StrCat("grace period ended with ", spend_text, " below the ", TierLabel(current),
                        " threshold ", FormatMoney(Threshold(current, rules), rules.currency),
                        " (L3)"),
           spend, now, rules, effects);
  }
}

absl::Time NextTierCheck(const internal::Account& account, absl::Time now,
                         const LoyaltyRules& rules) {
  absl::Time next = absl::InfiniteFuture();
  if (account.downgrade_at_ms() != 0) next = FromMs(account.downgrade_at_ms());
  int64_t from = ToMs(now - rules.tier_window);
  for (const auto& o : account.orders()) {
    if (o.completed() && o.completed_at_ms() > from) {
      next = std::min(next, FromMs(o.completed_at_ms()) + rules.tier_window +
                                absl::Milliseconds(1));
    }
  }
  return next;
}

}  // namespace revisit::loyalty
