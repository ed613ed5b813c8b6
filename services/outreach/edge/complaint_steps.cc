#include "services/outreach/edge/complaint_steps.h"

#include "absl/strings/str_cat.h"
#include "common/event_dispatch.h"
#include "common/proto_time.h"
#include "services/outreach/edge/dispatcher.h"

namespace revisit::outreach {
namespace {

namespace cv1 = revisit::complaint::v1;

std::vector<std::string> ProductsOf(const store::CustomerState& c, const std::string& order_id) {
  if (order_id.empty()) return {};  // a complaint about the service itself (R11)
  for (const auto& o : c.recent_orders())
    if (o.order_id() == order_id) return {o.products().begin(), o.products().end()};
  return {c.last_products().begin(), c.last_products().end()};
}

}  // namespace

std::string ComplaintStepSource(const std::string& complaint_id, const std::string& event_id) {
  return absl::StrCat(complaint_id, "/", event_id);
}

absl::Status ScheduleComplaintStep(TouchTxn& txn, const EventEnvelope& e, const cv1::ComplaintFacts& f,
                                   Trigger trigger, MessageFacts m) {
  m.products = ProductsOf(txn.customer(), f.order_id());
  m.complaint_id = f.complaint_id();
  m.order_id = f.order_id();
  m.not_as_described = f.determined_cause() == cv1::CAUSE_NOT_AS_DESCRIBED;
  m.locale = txn.customer().locale();  // R10: the customer's, zh-CN when unset
  m.tz = ZoneOrDefault(txn.customer().time_zone(), txn.config().default_time_zone);
  TouchSpec spec;
  spec.trigger = trigger;
  spec.source_id = ComplaintStepSource(f.complaint_id(), e.id);
  spec.due = e.time + txn.config().rules.For(trigger).delay;
  spec.message = ComposeComplaintStep(txn.config().messages, trigger, m);
  return txn.Schedule(spec).status();
}

void ComplaintSteps::Register(EventDispatch<absl::Status>& d) {
  // One reaction: the step touch `trigger` with the facts `fill` gives.
  auto step = [this](Trigger trigger, auto fill) {
    return [this, trigger, fill](const EventEnvelope& e, const auto& ev) -> absl::Status {
      return apply_.Apply(e, ev.complaint().customer_id(), [&](TouchTxn& txn) {
        MessageFacts m;
        fill(txn, ev, m);
        return ScheduleComplaintStep(txn, e, ev.complaint(), trigger, std::move(m));
      });
    };
  };
  d.On<cv1::ComplaintAcknowledged>(
      "revisit.complaint.acknowledged.v1",
      step(v1::TRIGGER_COMPLAINT_ACKNOWLEDGED,
           [](TouchTxn&, const cv1::ComplaintAcknowledged& ev, MessageFacts& m) { m.extra = ev.apology(); }));
  d.On<cv1::UpdatePromised>(
      "revisit.complaint.update_promised.v1",
      step(v1::TRIGGER_COMPLAINT_UPDATE, [](TouchTxn&, const cv1::UpdatePromised& ev, MessageFacts& m) {
        m.due_at = FromProto(ev.due_at());  // C7: shown in the customer's own zone
        m.extra = ev.note();
      }));
  d.On<cv1::UpdatePosted>(
      "revisit.complaint.update_posted.v1",
      step(v1::TRIGGER_COMPLAINT_UPDATE,
           [](TouchTxn&, const cv1::UpdatePosted& ev, MessageFacts& m) { m.extra = ev.note(); }));
  // C9: a repair's progress (the last stage is told as done, on resolved).
  d.On<cv1::FulfilmentRecorded>(
      "revisit.complaint.fulfilment_recorded.v1",
      [this](const EventEnvelope& e, const cv1::FulfilmentRecorded& ev) -> absl::Status {
    if (!TellsFulfilmentStage(ev.fulfilment().stage())) return absl::OkStatus();
    return apply_.Apply(e, ev.complaint().customer_id(), [&](TouchTxn& txn) {
      MessageFacts m;
      m.stage = ev.fulfilment().stage();
      return ScheduleComplaintStep(txn, e, ev.complaint(), v1::TRIGGER_COMPLAINT_UPDATE, std::move(m));
    });
  });
  d.On<cv1::RemediesProposed>(
      "revisit.complaint.remedies_proposed.v1",
      step(v1::TRIGGER_COMPLAINT_REMEDIES, [](TouchTxn&, const cv1::RemediesProposed& ev, MessageFacts& m) {
        m.choices.assign(ev.remedies().begin(), ev.remedies().end());
      }));
}

}  // namespace revisit::outreach
