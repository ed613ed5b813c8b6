#include "services/loyalty/domain/ledger.h"

#include <algorithm>

#include "absl/numeric/int128.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace revisit::loyalty {

std::vector<std::string> Effects::EventNames() const {
  std::vector<std::string> names;
  for (const auto& e : events) names.push_back(e.name);
  return names;
}

std::string FormatMoney(int64_t minor, const std::string& currency) {
  const char* sign = minor < 0 ? "-" : "";
  int64_t abs = minor < 0 ? -minor : minor;
  return absl::StrFormat("%s%d.%02d %s", sign, abs / 100, abs % 100, currency);
}

absl::StatusOr<int64_t> LedgerSeqOf(const std::string& entry_id) {
  int64_t seq = 0;
  if (!absl::StartsWith(entry_id, "led-") || !absl::SimpleAtoi(entry_id.substr(4), &seq) ||
      seq <= 0) {
    return absl::DataLossError(absl::StrCat("ledger entry ID '", entry_id.substr(0, 40),
                                            "' is not led-<sequence>"));
  }
  return seq;
}

const v1::LedgerEntry& Post(Account& account, Effects& effects, v1::EntryKind kind,
                            int64_t available_delta, int64_t pending_delta,
                            const std::string& reason, const std::string& source_id,
                            absl::Time at) {
  int64_t seq = account.ledger_seq() + 1;
  account.set_ledger_seq(seq);
  account.set_points_available(account.points_available() + available_delta);
  account.set_points_pending(account.points_pending() + pending_delta);
  v1::LedgerEntry entry;
  entry.set_entry_id(absl::StrFormat("led-%08d", seq));
  entry.set_customer_id(account.customer_id());
  entry.set_kind(kind);
  entry.set_available_delta(available_delta);
  entry.set_pending_delta(pending_delta);
  entry.set_reason(reason);
  entry.set_source_id(source_id);
  *entry.mutable_at() = ToProto(at);
  effects.entries.push_back(std::move(entry));
  return effects.entries.back();
}

int64_t PointsFor(int64_t amount_minor, v1::Tier tier, const LoyaltyRules& rules) {
  if (amount_minor <= 0) return 0;
  absl::int128 p = absl::int128(amount_minor) * rules.points_per_major *
               rules.tier_multiplier_pct[TierIndex(tier)];
  return static_cast<int64_t>(p / (absl::int128(rules.minor_per_major) * 100));
}

void EarnForOrder(Account& account, OrderRecord& order, const std::string& source_id,
                  const LoyaltyRules& rules, Effects& effects) {
  absl::Time completed = FromMs(order.completed_at_ms());
  absl::Time available_at = completed + rules.return_window;
  int64_t points = PointsFor(order.basis_minor(), account.tier(), rules);
  order.set_points_earned(points);
  order.set_available_at_ms(ToMs(available_at));
  account.set_last_activity_ms(std::max(account.last_activity_ms(), order.completed_at_ms()));
  if (points == 0) {
    order.set_released(true);  // nothing to release
    return;
  }
  const auto& entry = Post(
      account, effects, v1::ENTRY_KIND_EARN, 0, points,
      absl::StrCat("order ", order.order_id(), " completed: ",
                   FormatMoney(order.basis_minor(), rules.currency), " x ",
                   rules.points_per_major, " pt/unit x ",
                   rules.tier_multiplier_pct[TierIndex(account.tier())], "% (",
                   v1::Tier_Name(account.tier()), "); pending until the return window ends (L4)"),
      source_id, completed);
  v1::PointsEarned ev;
  *ev.mutable_entry() = entry;
  ev.set_order_id(order.order_id());
  *ev.mutable_available_at() = ToProto(available_at);
  effects.Emit("points_earned", std::move(ev));
}

int ReleaseDue(Account& account, absl::Time now, Effects& effects) {
  int released = 0;
  for (auto& order : *account.mutable_orders()) {
    if (!order.completed() || order.released() || order.available_at_ms() > ToMs(now)) continue;
    order.set_released(true);
    int64_t remaining = order.points_earned() - order.points_reversed();
    if (remaining <= 0) continue;
    const auto& entry =
        Post(account, effects, v1::ENTRY_KIND_RELEASE, remaining, -remaining,
             absl::StrCat("return window of order ", order.order_id(), " ended"),
             "release:" + order.order_id(), FromMs(order.available_at_ms()));
    v1::PointsAvailable ev;
    *ev.mutable_entry() = entry;
    effects.Emit("points_available", std::move(ev));
    ++released;
  }
  return released;
}

void ReverseForRefund(Account& account, OrderRecord& order, int64_t refunded_minor,
                      const std::string& source_id, absl::Time at, Effects& effects) {
  if (refunded_minor <= order.refunded_minor()) return;  // already known (replay)
  order.set_refunded_minor(refunded_minor);
  if (!order.completed() || order.points_earned() == 0) return;
  // Refunded since completion, as a share of the amount the points were earned on.
  int64_t refunded_at_completion = order.paid_minor() - order.basis_minor();
  int64_t since = std::max<int64_t>(0, refunded_minor - refunded_at_completion);
  int64_t target = order.points_earned();
  if (since < order.basis_minor()) {
    target = static_cast<int64_t>(absl::int128(order.points_earned()) * since /
                                  order.basis_minor());
  }
  int64_t delta = target - order.points_reversed();
  if (delta <= 0) return;
  order.set_points_reversed(target);
  bool from_pending = !order.released();
  const auto& entry = Post(
      account, effects, v1::ENTRY_KIND_REVERSE, from_pending ? 0 : -delta,
      from_pending ? -delta : 0,
      absl::StrCat("refund on order ", order.order_id(), ": ", since, "/", order.basis_minor(),
                   " of the amount refunded, ", target, " of ", order.points_earned(),
                   " points reversed in total", from_pending ? " (from pending)" : "",
                   !from_pending && account.points_available() < 0
                       ? " (balance negative: recovered from later earnings)"
                       : ""),
      source_id, at);
  v1::PointsReversed ev;
  *ev.mutable_entry() = entry;
  ev.set_order_id(order.order_id());
  effects.Emit("points_reversed", std::move(ev));
}

absl::Status Redeem(Account& account, int64_t points, const std::string& reason,
                    const std::string& source_id, absl::Time now, Effects& effects) {
  if (points <= 0) {
    return absl::InvalidArgumentError("points: must be at least 1");
  }
  if (points > account.points_available()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot redeem ", points, " points: customer ", account.customer_id(), " has ",
        account.points_available(), " available (", account.points_pending(), " pending)"));
  }
  const auto& entry = Post(account, effects, v1::ENTRY_KIND_REDEEM, -points, 0,
                           reason.empty() ? "redeemed" : reason, source_id, now);
  account.set_last_activity_ms(std::max(account.last_activity_ms(), ToMs(now)));
  v1::PointsRedeemed ev;
  *ev.mutable_entry() = entry;
  effects.Emit("points_redeemed", std::move(ev));
  return absl::OkStatus();
}

void Award(Account& account, int64_t points, const std::string& reason,
           const std::string& source_id, absl::Time now, Effects& effects) {
  const auto& entry =
      Post(account, effects, v1::ENTRY_KIND_AWARD, points, 0, reason, source_id, now);
  v1::PointsAwarded ev;
  *ev.mutable_entry() = entry;
  effects.Emit("points_awarded", std::move(ev));
}

absl::Time ExpiryAt(const Account& account, const LoyaltyRules& rules) {
  if (account.last_activity_ms() == 0) return absl::InfiniteFuture();
  return FromMs(account.last_activity_ms()) + rules.expiry_inactivity;
}

void CheckExpiry(Account& account, absl::Time now, const LoyaltyRules& rules, Effects& effects) {
  if (account.points_available() <= 0) return;
  absl::Time expires = ExpiryAt(account, rules);
  if (now >= expires) {
    int64_t points = account.points_available();
    const auto& entry = Post(
        account, effects, v1::ENTRY_KIND_EXPIRE, -points, 0,
        absl::StrCat("no purchase or redemption for ",
                     absl::ToInt64Hours(rules.expiry_inactivity) / 24, " days (L4)"),
        absl::StrCat("expire:", ToMs(expires)), expires);
    v1::PointsExpired ev;
    *ev.mutable_entry() = entry;
    effects.Emit("points_expired", std::move(ev));
    return;
  }
  if (now >= expires - rules.expiry_warning && account.expiry_warned_for_ms() != ToMs(expires)) {
    account.set_expiry_warned_for_ms(ToMs(expires));
    v1::PointsExpiring ev;
    ev.set_customer_id(account.customer_id());
    ev.set_points(account.points_available());
    *ev.mutable_expires_at() = ToProto(expires);
    effects.Emit("points_expiring", std::move(ev));
  }
}

}  // namespace revisit::loyalty
