// ComplaintConsumer (complaint_consumer.h): the order projection and O8 promises,
// follow-ups (C10) and loyalty tiers (C16), each once per ce_id.
#include "services/complaint/edge/complaint_consumer.h"

#include "common/keys.h"
#include "common/log.h"
#include "common/status.h"
#include "services/complaint/domain/decide.h"

namespace revisit::complaint {
namespace {

common::v1::Actor Outreach() {
  common::v1::Actor a;
  a.set_id("outreach-service");
  a.set_role("system");
  return a;
}

}  // namespace

ComplaintConsumer::ComplaintConsumer(const ComplaintConfig& config, ComplaintStore& store,
                                     const Clock& clock)
    : config_(config), store_(store), clock_(clock), events_(Events()) {}

EventDispatch<absl::Status> ComplaintConsumer::Events() {
  EventDispatch<absl::Status> d;
  // Order events feed the projection with the facts they carry; customer events
  // are not handled.
  auto facts = [this](const EventEnvelope& e, const auto& m) { return ApplyOrderFacts(e, m.order()); };
  d.On<order::v1::OrderCreated>("revisit.order.created.v1", facts);
  d.On<order::v1::OrderPaid>("revisit.order.paid.v1", facts);
  d.On<order::v1::OrderShipped>("revisit.order.shipped.v1", facts);
  d.On<order::v1::OrderDelivered>("revisit.order.delivered.v1", facts);
  d.On<order::v1::OrderCompleted>("revisit.order.completed.v1", facts);
  d.On<order::v1::OrderCancelled>("revisit.order.cancelled.v1", facts);
  d.On<order::v1::OrderRefunded>("revisit.order.refunded.v1", facts);
  d.On<order::v1::ShipmentLate>("revisit.order.shipment_late.v1", facts);
  d.On<order::v1::ReplacementOrderCreated>(
      "revisit.order.replacement_created.v1",
      [this](const EventEnvelope& e, const auto& m) { return ApplyOrderFacts(e, m.replacement()); });
  d.On<order::v1::PromiseRecorded>(
      "revisit.order.promise_recorded.v1",
      [this](const EventEnvelope& e, const auto& m) { return ApplyPromise(e, m); });
  d.On<outreach::v1::FollowUpRecorded>(
      "revisit.outreach.follow_up_recorded.v1",
      [this](const EventEnvelope& e, const auto& m) { return ApplyFollowUp(e, m); });
  d.On<loyalty::v1::TierChanged>(
      "revisit.loyalty.tier_changed.v1",
      [this](const EventEnvelope& e, const auto& m) { return ApplyTier(e, m); });
  return d;
}

absl::Status ComplaintConsumer::HandleEvent(const EventEnvelope& event) {
  return events_.Dispatch(event, absl::OkStatus());
}

absl::Status ComplaintConsumer::ApplyOrderFacts(const EventEnvelope& event, const order::v1::OrderFacts& f) {
  if (f.order_id().empty() || f.customer_id().empty()) {
    return absl::InvalidArgumentError("order event without order_id or customer_id");
  }
  // The order's shard is its customer's; lookups by order ID use the same one.
  auto order_shard = ShardOfEntityId(f.order_id(), "ord", "order_id");
  const int shard = order_shard.ok() ? *order_shard : CustomerShard(f.customer_id());
  return MutateWithRetry([&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto existing, store_.GetOrder(shard, f.order_id()));
    const int64_t have = existing.has_value() ? existing->version : 0;
    // ce_sequence orders the events of the aggregate named by ce_subject.
    const bool own = event.sequence > 0 && (event.subject.empty() || event.subject == f.order_id());
    const int64_t seq = own ? event.sequence : have + 1;
    if (seq <= have) return absl::OkStatus();  // older than the projection (replay)
    WriteBatch batch;
    batch.Dedupe(InboxKey(shard, event.id), config_.idempotency_ttl, "");
    batch.ExpectVersion(OrderKey(shard, f.order_id()), have);
    batch.Put(OrderKey(shard, f.order_id()), seq, f.SerializeAsString());
    if (f.has_paid_at()) {  // O8: the 三包 terms in force when paid, recorded once
      ASSIGN_OR_RETURN(auto terms, store_.GetTerms(shard, f.order_id()));
      if (!terms) {
        const std::string key = TermsKey(shard, f.order_id());
        batch.ExpectVersion(key, 0);
        batch.Put(key, 1, RecordTerms(config_.policies.sanbao, f, clock_.Now()).SerializeAsString());
      }
    }
    return batch.Commit(store_.redis()).status();
  });
}

absl::Status ComplaintConsumer::ApplyFollowUp(const EventEnvelope& event,
                                              const outreach::v1::FollowUpRecorded& ev) {
  auto shard = ShardOfEntityId(ev.complaint_id(), "cmp", "complaint_id");
  if (!shard.ok()) return absl::OkStatus();  // not one of ours
  v1::RecordFollowUpRequest req;
  *req.mutable_actor() = Outreach();
  req.set_complaint_id(ev.complaint_id());
  auto* f = req.mutable_follow_up();
  f->set_satisfaction(ev.feedback().rating());
  f->set_comment(ev.feedback().comment());
  *f->mutable_recorded_at() = ev.feedback().recorded_at();
  f->set_touch_id(ev.touch().touch_id());
  // C10: the resolution the follow-up touch was for (0 from an older outreach = the first).
  f->set_resolution(ev.resolution() > 0 ? ev.resolution() : 1);
  return MutateWithRetry([&]() -> absl::Status {
    auto s = store_.Get(ev.complaint_id());
    if (s.status().code() == absl::StatusCode::kNotFound) return absl::OkStatus();
    RETURN_IF_ERROR(s.status());
    if (s->complaint.state() != v1::COMPLAINT_STATE_RESOLVED) {
      LogInfo("follow-up ignored: complaint not resolved",
              {{"complaint_id", ev.complaint_id()}, {"state", v1::ComplaintState_Name(s->complaint.state())}});
      return absl::OkStatus();
    }
    const absl::Time now = clock_.Now();
    auto e = DecideRecordFollowUp(s->complaint, req, config_.policies, now);
    if (e.status().code() == absl::StatusCode::kInvalidArgument) {
      LogWarn("follow-up ignored: " + e.status().ToString(), {{"complaint_id", ev.complaint_id()}});
      return absl::OkStatus();
    }
    if (e.status().code() == absl::StatusCode::kFailedPrecondition) {
      // A stale answer to an earlier resolution (C10): it must not decide the current one.
      LogInfo("follow-up ignored: " + e.status().ToString(), {{"complaint_id", ev.complaint_id()}});
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(e.status());
    WriteBatch batch;
    batch.Dedupe(InboxKey(*shard, event.id), config_.idempotency_ttl, "");
    store_.Stage(batch, *s, *e, now);
    return batch.Commit(store_.redis()).status();
  });
}

absl::Status ComplaintConsumer::ApplyPromise(const EventEnvelope& event,
                                             const order::v1::PromiseRecorded& ev) {
  const order::v1::Promise& p = ev.promise();
  if (p.kind() != order::v1::PROMISE_KIND_EXTENDED_WARRANTY || p.order_id().empty() ||
      p.extended_warranty_days() <= 0 || p.customer_id().empty()) {
    return absl::OkStatus();  // only extended warranties on an order change 三包 (O8)
  }
  const int shard = CustomerShard(p.customer_id());
  WriteBatch batch;
  batch.Dedupe(InboxKey(shard, event.id), config_.idempotency_ttl, "");
  batch.HSet(WarrantyKey(shard, p.order_id()), p.promise_id(), std::to_string(p.extended_warranty_days()));
  return batch.Commit(store_.redis()).status();
}

absl::Status ComplaintConsumer::ApplyTier(const EventEnvelope& event,
                                          const loyalty::v1::TierChanged& ev) {
  if (ev.customer_id().empty()) return absl::InvalidArgumentError("tier_changed without customer_id");
  const int shard = CustomerShard(ev.customer_id());
  WriteBatch batch;
  batch.Dedupe(InboxKey(shard, event.id), config_.idempotency_ttl, "");
  batch.Set(TierKey(shard, ev.customer_id()), std::to_string(static_cast<int>(ev.to())));
  return batch.Commit(store_.redis()).status();
}

}  // namespace revisit::complaint
