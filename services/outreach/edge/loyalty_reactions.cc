#include "services/outreach/edge/loyalty_reactions.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "services/outreach/domain/loyalty_touches.h"
#include "services/outreach/edge/message_facts.h"

namespace revisit::outreach {
namespace {

// When the ledger entry happened (the event's time if it carries none).
absl::Time ActivityAt(const EventEnvelope& e, const revisit::loyalty::v1::LedgerEntry& entry) {
  return entry.has_at() ? FromProto(entry.at()) : e.time;
}

}  // namespace

void LoyaltyReactions::Register(EventDispatch<absl::Status>& d) {
  namespace lv1 = revisit::loyalty::v1;
  d.On<lv1::TierChanged>(
      "revisit.loyalty.tier_changed.v1", [this](const EventEnvelope& e, const lv1::TierChanged& ev) -> absl::Status {
    return apply_.Apply(e, ev.customer_id(), [&](TouchTxn& txn) -> absl::Status {
      txn.customer().set_tier(ev.to());
      txn.MarkCustomerDirty();
      if (ev.to() <= ev.from()) return absl::OkStatus();  // welcome only on the way up
      MessageFacts m = FactsFor(apply_.config(), txn.customer());
      const std::string tier(absl::StripPrefix(lv1::Tier_Name(ev.to()), "TIER_"));
      m.tier = tier;
      for (int b : ev.benefits()) {
        const std::string name(
            absl::StripPrefix(lv1::Benefit_Name(static_cast<lv1::Benefit>(b)), "BENEFIT_"));
        m.benefits.push_back(absl::AsciiStrToLower(absl::StrReplaceAll(name, {{"_", " "}})));
      }
      TouchSpec spec;
      spec.trigger = v1::TRIGGER_TIER_WELCOME;
      spec.source_id = "tier-" + tier;
      spec.due = e.time;
      spec.message = Compose(apply_.config(), spec.trigger, m);
      return txn.Schedule(spec).status();
    });
  });
  d.On<lv1::ChurnRiskDetected>(
      "revisit.loyalty.churn_risk_detected.v1", [this](const EventEnvelope& e, const lv1::ChurnRiskDetected& ev) -> absl::Status {
    return apply_.Apply(e, ev.customer_id(), [&](TouchTxn& txn) -> absl::Status {
      MessageFacts m = FactsFor(apply_.config(), txn.customer());
      m.voucher = "{voucher}";  // filled with the real voucher at send time (R7)
      TouchSpec spec;
      spec.trigger = v1::TRIGGER_WIN_BACK;
      // One win-back per lapse: a new order starts a new rhythm and a new lapse.
      spec.source_id = absl::StrCat("lapse-", absl::ToUnixMillis(FromProto(ev.last_order_at())));
      spec.due = e.time;
      spec.message = Compose(apply_.config(), spec.trigger, m);
      return txn.Schedule(spec).status();
    });
  });
  d.On<lv1::PointsExpiring>(
      "revisit.loyalty.points_expiring.v1", [this](const EventEnvelope& e, const lv1::PointsExpiring& ev) -> absl::Status {
    return apply_.Apply(e, ev.customer_id(), [&](TouchTxn& txn) -> absl::Status {
      // L4: the customer hears before their points expire (domain/loyalty_touches.h).
      auto planned = PointsExpiringTouch(ev, e.time, txn.now(), FactsFor(apply_.config(), txn.customer()));
      if (!planned) return absl::OkStatus();
      TouchSpec spec;
      spec.trigger = planned->trigger;
      spec.source_id = planned->source_id;
      spec.due = planned->due;
      spec.message = Compose(apply_.config(), spec.trigger, planned->facts);
      return txn.Schedule(spec).status();
    });
  });
  d.On<lv1::PointsEarned>(
      "revisit.loyalty.points_earned.v1", [this](const EventEnvelope& e, const lv1::PointsEarned& ev) {
    return EndPostponedWarnings(e, ev.entry().customer_id(), ActivityAt(e, ev.entry()));
  });
  d.On<lv1::PointsRedeemed>(
      "revisit.loyalty.points_redeemed.v1", [this](const EventEnvelope& e, const lv1::PointsRedeemed& ev) {
    return EndPostponedWarnings(e, ev.entry().customer_id(), ActivityAt(e, ev.entry()));
  });
}

absl::Status LoyaltyReactions::EndPostponedWarnings(const EventEnvelope& e,
                                                    const std::string& customer_id,
                                                    absl::Time at) const {
  return apply_.Apply(e, customer_id, [&](TouchTxn& txn) -> absl::Status {
    for (const std::string& id : ExpiryWarningsPostponedBy(txn.customer(), at)) {
      ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(id));
      if (t != nullptr && IsPending(*t))
        RETURN_IF_ERROR(txn.Cancel(t, "superseded: points earned or spent, the expiry moved (L4)"));
    }
    return absl::OkStatus();
  });
}

}  // namespace revisit::outreach
