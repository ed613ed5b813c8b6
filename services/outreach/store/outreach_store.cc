#include "services/outreach/store/outreach_store.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/status.h"
#include "common/text.h"
#include "services/outreach/store/customer_record.h"
#include "services/outreach/store/touch_record.h"

namespace revisit::outreach {

std::string CustomerKey(int shard, const std::string& id) {
  return ShardKey(kService, shard, "customer:" + id);
}
std::string TouchesKey(int shard) { return ShardKey(kService, shard, "touches"); }
std::string TouchKey(int shard, const std::string& id) {
  return ShardKey(kService, shard, "touch:" + id);
}
std::string TouchesOfKey(int shard, const std::string& id) {
  return ShardKey(kService, shard, "touches_of:" + id);
}
std::string StatKey(int shard, const std::string& campaign, const std::string& counter) {
  return ShardKey(kService, shard, absl::StrCat("stat:", campaign, ":", counter));
}
std::string CampaignsKey(int shard) { return ShardKey(kService, shard, "campaigns"); }
std::string KnownCustomersKey(int shard) { return ShardKey(kService, shard, "customers"); }
std::string ConsentLogKey(int shard, const std::string& id) {
  return ShardKey(kService, shard, "consent_log:" + id);
}
std::string RequestKey(int shard, const std::string& method, const std::string& request_id) {
  return ShardKey(kService, shard, absl::StrCat("req:", method, ":", request_id));
}
std::string InboxKey(int shard, const std::string& event_id) {
  return ShardKey(kService, shard, "inbox:" + event_id);
}

absl::StatusOr<Versioned<store::CustomerState>> OutreachStore::GetCustomer(
    const std::string& customer_id) {
  ASSIGN_OR_RETURN(CustomerAndTouches read, GetCustomerWithTouches(customer_id, {}));
  return std::move(read.customer);
}

absl::StatusOr<OutreachStore::CustomerAndTouches> OutreachStore::GetCustomerWithTouches(
    const std::string& customer_id, const std::vector<std::string>& touch_ids) {
  ASSIGN_OR_RETURN(auto read, GetCustomersWithTouches({{customer_id, touch_ids}}));
  return std::move(read.front());
}

namespace {

// The record from its HMGET v d reply (an empty one of `customer_id` when absent).
absl::Status DecodeRecordReply(const std::string& customer_id, const std::string& key,
                               const RedisValue& reply, Versioned<store::CustomerState>* out) {
  if (reply.elements.size() != 2 || reply.elements[1].is_nil()) {
    out->value.set_customer_id(customer_id);
    return absl::OkStatus();
  }
  if (!absl::SimpleAtoi(reply.elements[0].str, &out->version))
    return absl::DataLossError("entity " + key + " has a bad version");
  return DecodeCustomer(key, reply.elements[1].str, &out->value);
}

}  // namespace

absl::StatusOr<std::vector<OutreachStore::CustomerAndTouches>>
OutreachStore::GetCustomersWithTouches(const std::vector<TouchesOfCustomer>& reads) {
  std::vector<std::vector<std::string>> cmds;
  for (const auto& r : reads) {
    const int shard = ShardOf(r.customer_id);
    cmds.push_back({"HMGET", CustomerKey(shard, r.customer_id), "v", "d"});
    for (const auto& id : r.touch_ids)
      for (auto& c : TouchReads(shard, id)) cmds.push_back(std::move(c));
  }
  std::vector<CustomerAndTouches> out;
  if (reads.empty()) return out;
  ASSIGN_OR_RETURN(auto replies, redis_.Pipeline(cmds));
  for (const auto& r : replies)
    if (!r.ok()) return r.status();
  size_t at = 0;
  for (const auto& r : reads) {
    const int shard = ShardOf(r.customer_id);
    CustomerAndTouches one;
    RETURN_IF_ERROR(DecodeRecordReply(r.customer_id, CustomerKey(shard, r.customer_id),
                                      *replies[at++], &one.customer));
    for (const auto& id : r.touch_ids) {
      ASSIGN_OR_RETURN(auto t, ParseTouchReads(shard, id, *replies[at], *replies[at + 1]));
      at += 2;
      one.touches.push_back(std::move(t));
    }
    out.push_back(std::move(one));
  }
  return out;
}

absl::StatusOr<std::vector<Versioned<store::CustomerState>>> OutreachStore::ReadCustomers(
    const std::vector<std::string>& keys) {
  std::vector<std::vector<std::string>> cmds;
  for (const auto& k : keys) cmds.push_back({"HMGET", k, "v", "d"});
  std::vector<Versioned<store::CustomerState>> out;
  if (keys.empty()) return out;
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < replies->size(); ++i) {
    auto& r = (*replies)[i];
    if (!r.ok()) return r.status();
    if (r->elements.size() != 2 || r->elements[1].is_nil()) continue;
    Versioned<store::CustomerState> v;
    if (!absl::SimpleAtoi(r->elements[0].str, &v.version))
      return absl::DataLossError("entity " + keys[i] + " has a bad version");
    if (absl::Status st = DecodeCustomer(keys[i], r->elements[1].str, &v.value); !st.ok())
      return st;
    out.push_back(std::move(v));
  }
  return out;
}

absl::StatusOr<bool> OutreachStore::CustomerExists(const std::string& customer_id) {
  auto r = redis_.Command({"EXISTS", CustomerKey(ShardOf(customer_id), customer_id)});
  if (!r.ok()) return r.status();
  return r->integer == 1;
}

absl::StatusOr<v1::Touch> OutreachStore::GetTouch(const std::string& touch_id,
                                                 const std::string& field) {
  auto shard = ShardOfEntityId(touch_id, "tch", field);
  if (!shard.ok()) return shard.status();
  auto t = ReadTouches(redis_, *shard, {touch_id});
  if (!t.ok()) return t.status();
  if (!t->front()) return absl::NotFoundError(field + ": touch " + Excerpt(touch_id) + " not found");
  return std::move(t->front()->touch);
}

absl::StatusOr<std::vector<bool>> OutreachStore::TouchesExist(int shard,
                                                             const std::vector<std::string>& ids) {
  auto t = ReadTouches(redis_, shard, ids);
  if (!t.ok()) return t.status();
  std::vector<bool> out;
  for (const auto& one : *t) out.push_back(one.has_value());
  return out;
}

absl::StatusOr<std::vector<v1::Touch>> OutreachStore::TouchesOf(const std::string& customer_id,
                                                               int offset, int limit) {
  const int shard = ShardOf(customer_id);
  auto customer = GetCustomer(customer_id);
  if (!customer.ok()) return customer.status();
  auto done = redis_.Command({"ZREVRANGE", TouchesOfKey(shard, customer_id), "0",
                              std::to_string(offset + limit - 1), "WITHSCORES"});
  if (!done.ok()) return done.status();
  // The top offset+limit of the union lie within the top offset+limit of each part.
  std::map<std::string, int64_t> due;  // touch ID -> due ms
  for (const auto& ref : customer->value.pending()) due[ref.touch_id()] = ref.due_ms();
  for (size_t i = 0; i + 1 < done->elements.size(); i += 2) {
    double score = 0;
    if (!absl::SimpleAtod(done->elements[i + 1].str, &score)) continue;
    due.emplace(done->elements[i].str, static_cast<int64_t>(score));
  }
  std::vector<std::pair<int64_t, std::string>> order;
  for (const auto& [id, ms] : due) order.emplace_back(ms, id);
  std::sort(order.rbegin(), order.rend());
  std::vector<std::string> ids;
  for (size_t i = offset; i < order.size() && ids.size() < static_cast<size_t>(limit); ++i)
    ids.push_back(order[i].second);
  auto touches = ReadTouches(redis_, shard, ids);
  if (!touches.ok()) return touches.status();
  std::vector<v1::Touch> out;
  for (auto& t : *touches)
    if (t) out.push_back(std::move(t->touch));
  return out;
}

absl::StatusOr<std::vector<v1::ConsentChange>> OutreachStore::ConsentHistory(
    const std::string& customer_id, int offset, int limit) {
  auto entries = redis_.Command({"ZRANGE", ConsentLogKey(ShardOf(customer_id), customer_id),
                                 std::to_string(offset), std::to_string(offset + limit - 1)});
  if (!entries.ok()) return entries.status();
  std::vector<v1::ConsentChange> out;
  for (const auto& e : entries->elements) {
    v1::ConsentChange c;
    if (!c.ParseFromString(e.str))
      return absl::DataLossError("consent log of " + Excerpt(customer_id) + ": unreadable entry");
    out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<std::map<std::string, int64_t>> OutreachStore::CampaignCounters(
    const std::string& campaign) {
  std::vector<std::vector<std::string>> cmds;
  for (int s = 0; s < kShards; ++s)
    for (const char* c : kCounters) cmds.push_back({"GET", StatKey(s, campaign, c)});
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  std::map<std::string, int64_t> out;
  for (const char* c : kCounters) out[c] = 0;
  size_t i = 0;
  for (int s = 0; s < kShards; ++s) {
    for (const char* c : kCounters) {
      auto& r = (*replies)[i++];
      if (!r.ok()) return r.status();
      int64_t v = 0;
      if (!r->is_nil() && absl::SimpleAtoi(r->str, &v)) out[c] += v;
    }
  }
  return out;
}

absl::StatusOr<std::vector<store::CustomerState>> OutreachStore::CustomersOf(int shard) {
  auto ids = redis_.Command({"SMEMBERS", KnownCustomersKey(shard)});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  for (const auto& id : ids->elements) keys.push_back(CustomerKey(shard, id.str));
  auto states = ReadCustomers(keys);
  if (!states.ok()) return states.status();
  std::vector<store::CustomerState> out;
  for (auto& s : *states) out.push_back(std::move(s.value));
  return out;
}

absl::StatusOr<bool> OutreachStore::CampaignExists(const std::string& campaign) {
  std::vector<std::vector<std::string>> cmds;
  for (int s = 0; s < kShards; ++s) cmds.push_back({"SISMEMBER", CampaignsKey(s), campaign});
  auto replies = redis_.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (auto& r : *replies) {
    if (!r.ok()) return r.status();
    if (r->integer == 1) return true;
  }
  return false;
}

}  // namespace revisit::outreach
