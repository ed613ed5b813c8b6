#include "services/complaint/store/complaint_store.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/ids.h"
#include "common/keys.h"
#include "common/outbox.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/text.h"
#include "common/timer_queue.h"
#include "services/complaint/store/queue_store.h"
#include "services/complaint/domain/workflow.h"

namespace revisit::complaint {
namespace {

std::string Key(int shard, const std::string& suffix) { return ShardKey(kService, shard, suffix); }
std::string AllKey(int shard) { return Key(shard, "all"); }
std::string StateKey(int shard, v1::ComplaintState s) { return Key(shard, "by_state:" + StateName(s)); }
std::string CustomerIndexKey(int shard, const std::string& cid) { return Key(shard, "by_customer:" + cid); }
std::string BreachedKey(int shard) { return Key(shard, "breached"); }
std::string DeadlinesKey(int shard) { return Key(shard, "deadlines"); }
std::string CausesKey(int shard) { return Key(shard, "causes"); }

double Ms(absl::Time t) { return static_cast<double>(absl::ToUnixMillis(t)); }

std::string CauseMember(const v1::Complaint& c) {
  return absl::StrCat(c.complaint_id(), "|", static_cast<int>(c.determined_cause()), "|",
                      absl::StrJoin(c.skus(), ","));
}

// The earliest running shop deadline (not paused, not a follow-up window), if any.
std::optional<absl::Time> EarliestOpen(const v1::Complaint& c) {
  std::optional<absl::Time> best;
  for (const auto& d : c.deadlines()) {
    if (!IsRunning(d) || !IsShopDeadline(d.name())) continue;
    absl::Time t = FromProto(d.due_at());
    if (!best || t < *best) best = t;
  }
  return best;
}

absl::Time DeterminedAt(const v1::Complaint& c) {
  for (int i = c.history_size() - 1; i >= 0; --i) {
    if (c.history(i).action() == "determine_cause") return FromProto(c.history(i).at());
  }
  return FromProto(c.opened_at());
}

}  // namespace

int CustomerShard(const std::string& customer_id) {
  auto s = ShardOfEntityId(customer_id, "cus", "customer_id");
  return s.ok() ? *s : ShardOf(customer_id);
}

std::string ComplaintKey(int shard, const std::string& id) { return Key(shard, "complaint:" + id); }
std::string OrderKey(int shard, const std::string& id) { return Key(shard, "order:" + id); }
std::string TierKey(int shard, const std::string& cid) { return Key(shard, "tier:" + cid); }
std::string RequestKey(int shard, const std::string& method, const std::string& rid) {
  return Key(shard, absl::StrCat("req:", method, ":", rid));
}
std::string InboxKey(int shard, const std::string& event_id) { return Key(shard, "inbox:" + event_id); }
std::string WarrantyKey(int shard, const std::string& order_id) { return Key(shard, "warranty:" + order_id); }
std::string TermsKey(int shard, const std::string& order_id) { return Key(shard, "terms:" + order_id); }

absl::StatusOr<std::optional<v1::OrderTerms>> ComplaintStore::GetTerms(int shard,
                                                                      const std::string& order_id) {
  ASSIGN_OR_RETURN(auto found, ReadEntity<v1::OrderTerms>(redis_, TermsKey(shard, order_id)));
  if (!found) return std::optional<v1::OrderTerms>();
  return std::optional<v1::OrderTerms>(found->value);
}

absl::StatusOr<int> ComplaintStore::ExtraWarrantyDays(int shard, const std::string& order_id) {
  ASSIGN_OR_RETURN(RedisValue r, redis_.Command({"HVALS", WarrantyKey(shard, order_id)}));
  int total = 0;
  for (const auto& v : r.elements) {
    int d = 0;
    if (absl::SimpleAtoi(v.str, &d) && d > 0) total += d;
  }
  return total;
}

absl::StatusOr<StoredComplaint> ComplaintStore::Get(const std::string& id) {
  ASSIGN_OR_RETURN(int shard, ShardOfEntityId(id, "cmp", "complaint_id"));
  const std::string key = ComplaintKey(shard, id);
  ASSIGN_OR_RETURN(RedisValue r, redis_.Command({"HMGET", key, "v", "d"}));
  if (r.elements.size() != 2 || r.elements[1].is_nil()) {
    return absl::NotFoundError("complaint_id: complaint " + Excerpt(id) + " not found");
  }
  StoredComplaint out;
  if (!absl::SimpleAtoi(r.elements[0].str, &out.version)) return absl::DataLossError(key + ": bad version");
  RETURN_IF_ERROR(ParseStored(key, r.elements[1].str, &out.complaint));
  return out;
}

absl::StatusOr<std::optional<Versioned<order::v1::OrderFacts>>> ComplaintStore::GetOrder(
    int shard, const std::string& order_id) {
  return ReadEntity<order::v1::OrderFacts>(redis_, OrderKey(shard, order_id));
}

absl::StatusOr<order::v1::OrderFacts> ComplaintStore::OrderOf(const std::string& order_id) {
  RETURN_IF_ERROR(ValidateId("order_id", order_id));
  auto shard = ShardOfEntityId(order_id, "ord", "order_id");
  if (!shard.ok()) return absl::NotFoundError("order_id: order " + Excerpt(order_id) + " not found");
  ASSIGN_OR_RETURN(auto o, GetOrder(*shard, order_id));
  if (!o.has_value()) {
    return absl::NotFoundError("order_id: order " + Excerpt(order_id) +
                               " not found (no order events received for it)");
  }
  return o->value;
}

absl::StatusOr<order::v1::OrderFacts> ComplaintStore::OrderOfComplaint(const v1::Complaint& c) {
  if (!c.order_id().empty()) return OrderOf(c.order_id());
  order::v1::OrderFacts none;
  none.set_customer_id(c.customer_id());
  return none;
}

absl::StatusOr<loyalty::v1::Tier> ComplaintStore::GetTier(int shard, const std::string& customer_id) {
  ASSIGN_OR_RETURN(RedisValue r, redis_.Command({"GET", TierKey(shard, customer_id)}));
  int tier = 0;
  if (r.is_nil() || !absl::SimpleAtoi(r.str, &tier) || !loyalty::v1::Tier_IsValid(tier)) {
    return loyalty::v1::TIER_UNSPECIFIED;
  }
  return static_cast<loyalty::v1::Tier>(tier);
}

void ComplaintStore::Stage(WriteBatch& batch, const StoredComplaint& before, const Effects& e,
                           absl::Time now, const std::string& completed_timer) const {
  const v1::Complaint& c = e.complaint;
  const v1::Complaint& old = before.complaint;
  const int shard = CustomerShard(c.customer_id());
  const std::string key = ComplaintKey(shard, c.complaint_id());
  const std::string& id = c.complaint_id();
  const double opened = Ms(FromProto(c.opened_at()));
  batch.ExpectVersion(key, before.version);
  batch.Put(key, before.version + 1, c.SerializeAsString());
  for (const auto& ev : e.events) {  // numbered by the complaint's counter (common/outbox.h)
    batch.AppendEvent(OutboxStream(kService, shard),
                      MakeEvent(kService, ev.name, c.customer_id(), id, now, *ev.payload));
  }
  // Indexes.
  if (before.version == 0) {
    batch.ZAdd(AllKey(shard), opened, id);
    batch.ZAdd(CustomerIndexKey(shard, c.customer_id()), opened, id);
  }
  if (before.version == 0 || old.state() != c.state()) {
    if (before.version != 0) batch.ZRem(StateKey(shard, old.state()), id);
    batch.ZAdd(StateKey(shard, c.state()), opened, id);
  }
  if (c.sla_breached() && !old.sla_breached()) batch.ZAdd(BreachedKey(shard), opened, id);
  StageQueues(batch, shard, before.version == 0 ? nullptr : &old, c);
  if (auto due = EarliestOpen(c)) batch.ZAdd(DeadlinesKey(shard), Ms(*due), id);
  else batch.ZRem(DeadlinesKey(shard), id);
  if (c.determined_cause() != v1::CAUSE_UNSPECIFIED && c.determined_cause() != old.determined_cause()) {
    if (old.determined_cause() != v1::CAUSE_UNSPECIFIED) batch.ZRem(CausesKey(shard), CauseMember(old));
    batch.ZAdd(CausesKey(shard), Ms(DeterminedAt(c)), CauseMember(c));
  }
  for (const auto& t : e.timers) {
    if (t.id == completed_timer) {
      if (t.due) ScheduleTimer(batch, kService, shard, t.id, *t.due, "");
      continue;
    }
    if (t.due) ScheduleTimer(batch, kService, shard, t.id, *t.due, "");
    else CancelTimer(batch, kService, shard, t.id);
  }
}

absl::StatusOr<std::vector<v1::Complaint>> ComplaintStore::List(v1::ComplaintState state,
                                                                const std::string& customer_id,
                                                                v1::SlaFilter sla, absl::Time now,
                                                                absl::Duration at_risk, int offset,
                                                                int limit, bool* more) {
  std::vector<int> shards;
  if (!customer_id.empty()) shards.push_back(CustomerShard(customer_id));
  else for (int s = 0; s < kShards; ++s) shards.push_back(s);
  std::vector<std::vector<std::string>> cmds;
  for (int s : shards) {
    std::string index = !customer_id.empty() ? CustomerIndexKey(s, customer_id)
                        : state != v1::COMPLAINT_STATE_UNSPECIFIED ? StateKey(s, state)
                        : sla == v1::SLA_FILTER_BREACHED ? BreachedKey(s)
                                                         : AllKey(s);
    cmds.push_back({"ZRANGE", index, "0", "-1", "WITHSCORES"});
  }
  ASSIGN_OR_RETURN(auto replies, redis_.Pipeline(cmds));
  std::vector<std::tuple<double, std::string, int>> ids;
  for (size_t i = 0; i < replies.size(); ++i) {
    if (!replies[i].ok()) return replies[i].status();
    const auto& el = replies[i]->elements;
    for (size_t j = 0; j + 1 < el.size(); j += 2) {
      double score = 0;
      absl::SimpleAtod(el[j + 1].str, &score);
      ids.emplace_back(score, el[j].str, shards[i]);
    }
  }
  std::sort(ids.begin(), ids.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a) != std::get<0>(b) ? std::get<0>(a) > std::get<0>(b) : std::get<1>(a) > std::get<1>(b);
  });
  std::vector<v1::Complaint> out;
  int skipped = 0;
  *more = false;
  // Read in chunks and filter (state, SLA) on the complaint itself.
  for (size_t i = 0; i < ids.size();) {
    std::vector<std::string> keys;
    for (size_t j = i; j < ids.size() && j < i + 100; ++j) {
      keys.push_back(ComplaintKey(std::get<2>(ids[j]), std::get<1>(ids[j])));
    }
    i += keys.size();
    ASSIGN_OR_RETURN(auto batch, ReadEntities<v1::Complaint>(redis_, keys));
    for (auto& v : batch) {
      const v1::Complaint& c = v.value;
      if (state != v1::COMPLAINT_STATE_UNSPECIFIED && c.state() != state) continue;
      if (sla == v1::SLA_FILTER_BREACHED && !c.sla_breached()) continue;
      if (sla == v1::SLA_FILTER_AT_RISK && !AtRisk(c, now, at_risk)) continue;
      if (skipped < offset) {
        ++skipped;
        continue;
      }
      if (static_cast<int>(out.size()) == limit) {
        *more = true;
        return out;
      }
      out.push_back(c);
    }
  }
  return out;
}

absl::Status ComplaintStore::ForEachCause(absl::Time from, const std::string& to_bound,
                                          const std::function<void(const std::string&, int,
                                                                   absl::string_view)>& visit) {
  std::vector<std::vector<std::string>> cmds;
  for (int s = 0; s < kShards; ++s) {
    cmds.push_back({"ZRANGEBYSCORE", CausesKey(s), absl::StrCat(absl::ToUnixMillis(from)), to_bound});
  }
  ASSIGN_OR_RETURN(auto replies, redis_.Pipeline(cmds));
  for (auto& r : replies) {
    if (!r.ok()) return r.status();
    for (const auto& m : r->elements) {
      std::vector<std::string> parts = absl::StrSplit(m.str, absl::MaxSplits('|', 2));
      int cause = 0;
      if (parts.size() != 3 || !absl::SimpleAtoi(parts[1], &cause)) continue;
      for (absl::string_view sku : absl::StrSplit(parts[2], ',', absl::SkipEmpty())) visit(parts[0], cause, sku);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CauseCounts> ComplaintStore::CountCause(v1::Cause cause, absl::Time from, absl::Time to,
                                                       const std::string& exclude_complaint_id) {
  CauseCounts counts;
  RETURN_IF_ERROR(ForEachCause(from, absl::StrCat(absl::ToUnixMillis(to)),
                               [&](const std::string& id, int c, absl::string_view sku) {
                                 if (c == cause && id != exclude_complaint_id) ++counts[std::string(sku)];
                               }));
  return counts;
}

absl::StatusOr<std::vector<v1::CauseCount>> ComplaintStore::ReportCauses(absl::Time from, absl::Time to) {
  std::map<std::pair<std::string, int>, int64_t> counts;
  RETURN_IF_ERROR(ForEachCause(from, absl::StrCat("(", absl::ToUnixMillis(to)),
                               [&](const std::string&, int cause, absl::string_view sku) {
                                 ++counts[{std::string(sku), cause}];
                               }));
  std::vector<v1::CauseCount> out;
  for (const auto& [k, n] : counts) {
    v1::CauseCount cc;
    cc.set_sku(k.first);
    cc.set_cause(static_cast<v1::Cause>(k.second));
    cc.set_count(n);
    out.push_back(cc);
  }
  return out;
}

}  // namespace revisit::complaint
