#include "tools/demo/analysis.h"

#include <algorithm>
#include <memory>
#include <set>
#include <unordered_set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "common/kafka_namespace.h"
#include "common/kafka_producer.h"
#include "common/kafka_security.h"
#include "revisit/complaint/v1/events.pb.h"
#include "revisit/order/v1/events.pb.h"
#include "revisit/outreach/v1/events.pb.h"

namespace revisit::demo {
namespace {

namespace ov1 = revisit::order::v1;
namespace cv1 = revisit::complaint::v1;
namespace rv1 = revisit::outreach::v1;

const char* const kTopics[] = {"revisit.order.v1", "revisit.complaint.v1", "revisit.outreach.v1",
                               "revisit.loyalty.v1"};

// The payload's message: from ce_dataschema "proto:<full name>", else from ce_type.
std::string Schema(const EventEnvelope& e) {
  absl::string_view s = e.dataschema;
  if (absl::ConsumePrefix(&s, "proto:")) return std::string(s);
  return e.type;
}

template <typename M>
bool As(const EventEnvelope& e, M* m) {
  return Schema(e) == M::descriptor()->full_name() && m->ParseFromString(e.payload);
}

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

}  // namespace

Percentiles Summarize(std::vector<double> ms) {
  Percentiles p;
  p.n = static_cast<int64_t>(ms.size());
  if (ms.empty()) return p;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    size_t i = static_cast<size_t>(q * static_cast<double>(ms.size() - 1) + 0.5);
    return ms[std::min(i, ms.size() - 1)];
  };
  p.p50_ms = at(0.5);
  p.p99_ms = at(0.99);
  p.max_ms = ms.back();
  return p;
}

void Analyze(const std::vector<EventEnvelope>& events, Analysis* a) {
  std::unordered_set<std::string> seen;
  std::set<std::string> shipped, late, delivered, completed, created, fb_sched, fb_sent, fb_answered,
      complaints, resolved, fu_sched, followed, closed, revisit_orders, revisit_customers, refunded;
  std::map<std::string, int> orders_by_customer;
  std::set<std::string> campaigns;
  std::map<std::string, absl::Time> delivered_at, resolved_at, opened_at, fb_sched_at, fu_sched_at;
  std::vector<absl::Time> order_times;
  std::vector<double> ack_ms;
  for (const EventEnvelope& e : events) {
    if (!seen.insert(e.id).second) {
      ++a->duplicates;
      continue;
    }
    ++a->events;
    ++a->by_type[e.type];
    ov1::OrderCreated oc;
    ov1::OrderShipped os;
    ov1::OrderDelivered od;
    ov1::OrderCompleted ocm;
    ov1::OrderRefunded orf;
    ov1::ShipmentLate sl;
    cv1::ComplaintOpened co;
    cv1::ComplaintAcknowledged ca;
    cv1::CauseDetermined cd;
    cv1::RemedyAccepted ra;
    cv1::ComplaintResolved cr;
    cv1::SlaBreached sb;
    cv1::FollowUpRecorded cf;
    cv1::ComplaintClosed cc;
    rv1::TouchScheduled ts;
    rv1::TouchSent tsent;
    rv1::FeedbackReceived fr;
    rv1::RevisitAttributed rev;
    if (As(e, &oc)) {
      if (created.insert(oc.order().order_id()).second) {
        order_times.push_back(e.time);
        ++orders_by_customer[oc.order().customer_id()];
      }
    } else if (As(e, &os)) {
      shipped.insert(os.order().order_id());
    } else if (As(e, &sl)) {
      late.insert(sl.order().order_id());
    } else if (As(e, &od)) {
      delivered.insert(od.order().order_id());
      delivered_at.emplace(od.order().order_id(), e.time);
    } else if (As(e, &ocm)) {
      completed.insert(ocm.order().order_id());
    } else if (As(e, &orf)) {
      refunded.insert(orf.refund().refund_id());
    } else if (As(e, &co)) {
      complaints.insert(co.complaint().complaint_id());
      opened_at.emplace(co.complaint().complaint_id(), e.time);
      if (!co.source_touch_id().empty()) ++a->complaints_from_rating;
      ++a->sla_first_total;
    } else if (As(e, &ca)) {
      auto it = opened_at.find(ca.complaint().complaint_id());
      if (it != opened_at.end()) ack_ms.push_back(Ms(e.time - it->second));
    } else if (As(e, &cd)) {
      std::string c(absl::StripPrefix(cv1::Cause_Name(cd.complaint().determined_cause()), "CAUSE_"));
      ++a->causes[c];
    } else if (As(e, &ra)) {
      ++a->remedies[std::string(absl::StripPrefix(cv1::RemedyKind_Name(ra.remedy().kind()), "REMEDY_KIND_"))];
    } else if (As(e, &cr)) {
      resolved.insert(cr.complaint().complaint_id());
      resolved_at.emplace(cr.complaint().complaint_id(), e.time);
    } else if (As(e, &sb)) {
      if (sb.deadline() == "first_response") ++a->sla_first_breached;
      else if (sb.deadline() == "resolution") ++a->sla_resolution_breached;
    } else if (As(e, &cf)) {
      followed.insert(cf.complaint().complaint_id());
    } else if (As(e, &cc)) {
      closed.insert(cc.complaint().complaint_id());
    } else if (As(e, &ts)) {
      const auto& t = ts.touch();
      campaigns.insert(t.campaign());
      if (t.trigger() == rv1::TRIGGER_FEEDBACK_REQUEST && fb_sched.insert(t.source_id()).second)
        fb_sched_at.emplace(t.source_id(), e.time);
      if (t.trigger() == rv1::TRIGGER_COMPLAINT_FOLLOW_UP && fu_sched.insert(t.source_id()).second)
        fu_sched_at.emplace(t.source_id(), e.time);
    } else if (As(e, &tsent)) {
      const auto& t = tsent.touch();
      ++a->touches_by_trigger[std::string(absl::StripPrefix(rv1::Trigger_Name(t.trigger()), "TRIGGER_"))];
      if (t.trigger() == rv1::TRIGGER_FEEDBACK_REQUEST) fb_sent.insert(t.source_id());
    } else if (As(e, &fr)) {
      if (fr.touch().trigger() == rv1::TRIGGER_FEEDBACK_REQUEST && fb_answered.insert(fr.touch().source_id()).second) {
        ++a->ratings[fr.feedback().rating()];
        if (fr.feedback().rating() <= 2) ++a->low_ratings;
      }
    } else if (As(e, &rev)) {
      if (revisit_orders.insert(rev.order_id()).second) revisit_customers.insert(rev.touch().customer_id());
    }
  }
  a->campaign_names.assign(campaigns.begin(), campaigns.end());
  a->orders_created = created.size();
  a->shipped = shipped.size();
  a->shipped_late = late.size();
  a->delivered = delivered.size();
  a->completed = completed.size();
  a->refunded = refunded.size();
  a->feedback_scheduled = fb_sched.size();
  a->feedback_sent = fb_sent.size();
  a->feedback_answered = fb_answered.size();
  a->complaints = complaints.size();
  a->resolved = resolved.size();
  a->followup_scheduled = fu_sched.size();
  a->followed_up = followed.size();
  a->closed = closed.size();
  a->revisits = revisit_orders.size();
  a->revisit_customers = revisit_customers.size();
  a->customers = orders_by_customer.size();
  for (const auto& [c, n] : orders_by_customer) a->repeat_customers += n > 1;
  a->sla_first_met = a->sla_first_total - a->sla_first_breached;
  a->ack_latency = Summarize(ack_ms);
  // The loop's own latency: how long after the fact the service scheduled its touch.
  std::vector<double> d2f, r2f;
  for (const auto& [order, t] : fb_sched_at) {
    auto it = delivered_at.find(order);
    if (it != delivered_at.end()) d2f.push_back(Ms(t - it->second));
  }
  for (const auto& [complaint, t] : fu_sched_at) {
    auto it = resolved_at.find(complaint);
    if (it != resolved_at.end()) r2f.push_back(Ms(t - it->second));
  }
  a->delivered_to_feedback = Summarize(d2f);
  a->resolved_to_followup = Summarize(r2f);
  if (!order_times.empty()) {
    absl::Time first = *std::min_element(order_times.begin(), order_times.end());
    std::map<int64_t, int64_t> weeks;
    for (absl::Time t : order_times) ++weeks[(t - first) / absl::Hours(24 * 7)];
    int64_t last = weeks.rbegin()->first;
    for (int64_t w = 0; w <= last; ++w) a->orders_per_week.emplace_back(absl::StrCat("w", w + 1), weeks[w]);
  }
}

bool ReadStreams(const std::string& bootstrap, const std::vector<std::string>& customers, Analysis* a,
                 std::string* error) {
  std::unordered_set<std::string> ours(customers.begin(), customers.end());
  auto security = KafkaSecurity::FromEnvironment();  // mTLS: the revisit-analysts principal
  if (!security.ok()) return *error = std::string(security.status().message()), false;
  auto conf = MakeKafkaConf(security->Apply(
      {{"bootstrap.servers", bootstrap},
       {"group.id", absl::StrCat("revisit-demo-", absl::ToUnixNanos(absl::Now()))},
       {"enable.auto.commit", "false"},
       {"enable.partition.eof", "true"}}));
  if (!conf.ok()) return *error = std::string(conf.status().message()), false;
  std::string err;
  std::unique_ptr<RdKafka::KafkaConsumer> c(RdKafka::KafkaConsumer::create(conf->get(), err));
  if (!c) return *error = err, false;
  std::vector<RdKafka::TopicPartition*> parts;
  auto ns = KafkaNamespace::FromEnvironment();
  if (!ns.ok()) return *error = std::string(ns.status().message()), false;
  for (const char* logical : kTopics) {
    const std::string topic = ns->Topic(logical);
    std::unique_ptr<RdKafka::Topic> t(RdKafka::Topic::create(c.get(), topic, nullptr, err));
    RdKafka::Metadata* md = nullptr;
    if (!t || c->metadata(false, t.get(), &md, 5000) != RdKafka::ERR_NO_ERROR) continue;
    std::unique_ptr<RdKafka::Metadata> owned(md);
    for (const auto* tm : *md->topics())
      for (const auto* pm : *tm->partitions())
        parts.push_back(RdKafka::TopicPartition::create(topic, pm->id(), RdKafka::Topic::OFFSET_BEGINNING));
  }
  if (parts.empty()) return *error = "no partitions found at " + bootstrap, false;
  c->assign(parts);
  std::vector<EventEnvelope> events;
  std::set<std::pair<std::string, int32_t>> at_end;
  absl::Time idle_since = absl::Now();
  while (at_end.size() < parts.size()) {
    std::unique_ptr<RdKafka::Message> m(c->consume(500));
    if (m->err() == RdKafka::ERR__PARTITION_EOF) {
      at_end.emplace(m->topic_name(), m->partition());
      continue;
    }
    if (m->err() == RdKafka::ERR__TIMED_OUT) {
      if (absl::Now() - idle_since > absl::Seconds(15)) break;
      continue;
    }
    if (m->err() != RdKafka::ERR_NO_ERROR) continue;
    idle_since = absl::Now();
    auto e = ParseMessage(*m);
    if (e.ok() && (ours.empty() || ours.count(e->key))) events.push_back(std::move(*e));
  }
  RdKafka::TopicPartition::destroy(parts);
  c->close();
  Analyze(events, a);
  return true;
}

}  // namespace revisit::demo
