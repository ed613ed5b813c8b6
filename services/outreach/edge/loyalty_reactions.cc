#include "services/outreach/edge/loyalty_reactions.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/proto_time.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "services/outreach/edge/message_facts.h"

namespace revisit::outreach {

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
}

}  // namespace revisit::outreach
