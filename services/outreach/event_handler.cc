#include "services/outreach/event_handler.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/event_type.h"
#include "common/keys.h"
#include "common/status.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/loyalty/v1/events.pb.h"
#include "services/outreach/messages.h"
#include "services/outreach/time_util.h"
#include "services/outreach/touch_ids.h"

namespace revisit::outreach {
namespace {

template <typename T>
absl::StatusOr<T> Parse(const EventEnvelope& e) {
  T msg;
  if (!msg.ParseFromString(e.payload))
    return absl::InvalidArgumentError(absl::StrCat("payload of ", e.type, " ", e.id,
                                                   " does not parse as ", T::descriptor()->full_name()));
  return msg;
}

std::vector<std::string> ProductsOfOrder(const store::CustomerState& c, const std::string& order_id) {
  for (const auto& o : c.recent_orders())
    if (o.order_id() == order_id) return {o.products().begin(), o.products().end()};
  return {c.last_products().begin(), c.last_products().end()};
}

void RemoveComplaint(store::CustomerState& c, const std::string& id) {
  auto* open = c.mutable_open_complaints();
  for (int i = open->size() - 1; i >= 0; --i)
    if (open->Get(i) == id) open->DeleteSubrange(i, 1);
}

// Every held touch goes back on schedule once no complaint is open (R6).
absl::Status ReleaseHeld(TouchTxn& txn, const std::string& complaint_id) {
  if (txn.customer().open_complaints_size() > 0) return absl::OkStatus();
  std::vector<std::string> held;
  for (const auto& ref : txn.customer().pending())
    if (ref.held()) held.push_back(ref.touch_id());
  for (const std::string& id : held) {
    ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(id));
    if (t != nullptr && IsPending(*t))
      txn.Release(t, absl::StrCat("released: complaint ", complaint_id, " no longer open"));
  }
  return absl::OkStatus();
}

// A reopened complaint is worked again and resolved again with its own follow-up
// (C10/R8): a follow-up touch of an earlier resolution not yet sent would ask about a
// result that no longer stands, so it is cancelled, and so is a reminder; a closed
// complaint needs neither (answered, or closed as no answer). Resolution n has a
// first touch, a reminder or both (a touch made before reminders existed, or a
// reminder whose first touch was already purged, still counts). Resolutions are numbered 1, 2, ...
// without gaps, so the walk stops at the first missing touch.
absl::Status CancelPendingFollowUps(TouchTxn& txn, const revisit::complaint::v1::ComplaintFacts& f,
                                    const std::string& why) {
  constexpr int kMaxResolutions = 100;
  for (int n = 1; n <= kMaxResolutions; ++n) {
    const std::string id = TouchId(f.customer_id(), v1::TRIGGER_COMPLAINT_FOLLOW_UP,
                                   FollowUpSource(f.complaint_id(), n));
    ASSIGN_OR_RETURN(v1::Touch * t, txn.LoadTouch(id));
    const std::string reminder_id = TouchId(f.customer_id(), v1::TRIGGER_COMPLAINT_FOLLOW_UP,
                                            FollowUpSource(f.complaint_id(), n, /*reminder=*/true));
    ASSIGN_OR_RETURN(v1::Touch * r, txn.LoadTouch(reminder_id));
    if (t == nullptr && r == nullptr) break;
    for (v1::Touch* touch : {t, r}) {
      if (touch != nullptr && IsPending(*touch))
        txn.Cancel(touch, absl::StrCat("superseded: complaint ", f.complaint_id(), " ", why, " (C10)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

EventHandler::EventHandler(const OutreachConfig& config, OutreachStore& store, const Clock& clock)
    : config_(config), store_(store), clock_(clock) {}

std::string EventHandler::Kind(const std::string& ce_type) {
  std::optional<EventType> t = ParseEventType(ce_type);
  if (!t || t->version != 1) return "";
  return absl::StrCat(t->service, "/", t->event);
}

absl::Status EventHandler::Handle(const EventEnvelope& e) {
  const std::string kind = Kind(e.type);
  std::pair<std::string, std::string> sk = absl::StrSplit(kind, absl::MaxSplits('/', 1));
  if (sk.first == "order") return HandleOrder(sk.second, e);
  if (sk.first == "complaint") return HandleComplaint(sk.second, e);
  if (sk.first == "loyalty") return HandleLoyalty(sk.second, e);
  return absl::OkStatus();
}

absl::Status EventHandler::Apply(const EventEnvelope& e, const std::string& customer_id,
                                 const Effect& effect) {
  if (customer_id.empty())
    return absl::InvalidArgumentError(absl::StrCat(e.type, " ", e.id, ": no customer_id"));
  return MutateWithRetry([&]() -> absl::Status {
    TouchTxn txn(store_, config_, customer_id, clock_.Now());
    RETURN_IF_ERROR(txn.Load());
    txn.batch().Dedupe(InboxKey(txn.shard(), e.id), config_.inbox_ttl, "");
    RETURN_IF_ERROR(effect(txn));
    return txn.Commit().status();
  });
}

absl::Status EventHandler::HandleComplaint(const std::string& kind, const EventEnvelope& e) {
  namespace cv1 = revisit::complaint::v1;
  if (kind == "opened" || kind == "reopened") {
    // Both carry ComplaintFacts as field 1.
    ASSIGN_OR_RETURN(auto ev, Parse<cv1::ComplaintOpened>(e));
    const auto& f = ev.complaint();
    return Apply(e, f.customer_id(), [&](TouchTxn& txn) {
      RemoveComplaint(txn.customer(), f.complaint_id());
      txn.customer().add_open_complaints(f.complaint_id());
      txn.MarkCustomerDirty();
      if (kind == "reopened") return CancelPendingFollowUps(txn, f, "reopened");
      return absl::OkStatus();
    });
  }
  if (kind == "closed" || kind == "rejected") {
    ASSIGN_OR_RETURN(auto ev, Parse<cv1::ComplaintClosed>(e));
    const auto& f = ev.complaint();
    return Apply(e, f.customer_id(), [&](TouchTxn& txn) {
      RemoveComplaint(txn.customer(), f.complaint_id());
      txn.MarkCustomerDirty();
      if (kind == "closed") RETURN_IF_ERROR(CancelPendingFollowUps(txn, f, "closed"));
      return ReleaseHeld(txn, f.complaint_id());
    });
  }
  if (kind == "follow_up_reminder_due") {
    // C10: no answer to the follow-up: one reminder touch, sent now (quiet hours apply).
    ASSIGN_OR_RETURN(auto ev, Parse<cv1::FollowUpReminderDue>(e));
    const auto& f = ev.complaint();
    return Apply(e, f.customer_id(), [&](TouchTxn& txn) -> absl::Status {
      MessageFacts m;
      m.products = ProductsOfOrder(txn.customer(), f.order_id());
      m.complaint_id = f.complaint_id();
      TouchSpec spec;
      spec.trigger = v1::TRIGGER_COMPLAINT_FOLLOW_UP;
      spec.source_id = FollowUpSource(f.complaint_id(), ev.resolution(), /*reminder=*/true);
      spec.due = e.time;
      spec.message = absl::StrCat("A gentle reminder: ", ComposeMessage(spec.trigger, m));
      return txn.Schedule(spec).status();
    });
  }
  if (kind == "resolved") {
    ASSIGN_OR_RETURN(auto ev, Parse<cv1::ComplaintResolved>(e));
    const auto& f = ev.complaint();
    const absl::Time resolved = ev.has_resolved_at() ? FromTs(ev.resolved_at()) : e.time;
    return Apply(e, f.customer_id(), [&](TouchTxn& txn) -> absl::Status {
      MessageFacts m;
      m.products = ProductsOfOrder(txn.customer(), f.order_id());
      m.complaint_id = f.complaint_id();
      TouchSpec spec;
      spec.trigger = v1::TRIGGER_COMPLAINT_FOLLOW_UP;
      // C10/R8: one follow-up per resolution; a redelivery maps to the same touch.
      spec.source_id = FollowUpSource(f.complaint_id(), ev.resolution());
      spec.due = resolved + config_.rules.For(spec.trigger).delay;  // C10: within 7 days
      spec.message = ComposeMessage(spec.trigger, m);
      return txn.Schedule(spec).status();
    });
  }
  return absl::OkStatus();
}

absl::Status EventHandler::HandleLoyalty(const std::string& kind, const EventEnvelope& e) {
  namespace lv1 = revisit::loyalty::v1;
  if (kind == "tier_changed") {
    ASSIGN_OR_RETURN(auto ev, Parse<lv1::TierChanged>(e));
    return Apply(e, ev.customer_id(), [&](TouchTxn& txn) -> absl::Status {
      txn.customer().set_tier(ev.to());
      txn.MarkCustomerDirty();
      if (ev.to() <= ev.from()) return absl::OkStatus();  // welcome only on the way up
      MessageFacts m;
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
      spec.message = ComposeMessage(spec.trigger, m);
      return txn.Schedule(spec).status();
    });
  }
  if (kind == "churn_risk_detected") {
    ASSIGN_OR_RETURN(auto ev, Parse<lv1::ChurnRiskDetected>(e));
    return Apply(e, ev.customer_id(), [&](TouchTxn& txn) -> absl::Status {
      MessageFacts m;
      m.products.assign(txn.customer().last_products().begin(),
                        txn.customer().last_products().end());
      m.voucher = "{voucher}";  // filled with the real voucher at send time (R7)
      TouchSpec spec;
      spec.trigger = v1::TRIGGER_WIN_BACK;
      // One win-back per lapse: a new order starts a new rhythm and a new lapse.
      spec.source_id = absl::StrCat("lapse-", Ms(FromTs(ev.last_order_at())));
      spec.due = e.time;
      spec.message = ComposeMessage(spec.trigger, m);
      return txn.Schedule(spec).status();
    });
  }
  return absl::OkStatus();
}

}  // namespace revisit::outreach
