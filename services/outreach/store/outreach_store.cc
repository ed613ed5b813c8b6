#include "services/outreach/store/outreach_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/text.h"

namespace revisit::outreach {

std::string CustomerKey(int shard, const std::string& id) {
  return ShardKey(kService, shard, "customer:" + id);
}
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
  auto c = ReadEntity<store::CustomerState>(redis_, CustomerKey(ShardOf(customer_id), customer_id));
  if (!c.ok()) return c.status();
  if (c->has_value()) return **c;
  Versioned<store::CustomerState> fresh;
  fresh.value.set_customer_id(customer_id);
  return fresh;
}

absl::StatusOr<bool> OutreachStore::CustomerExists(const std::string& customer_id) {
  auto r = redis_.Command({"EXISTS", CustomerKey(ShardOf(customer_id), customer_id)});
  if (!r.ok()) return r.status();
  return r->integer == 1;
}

absl::StatusOr<Versioned<v1::Touch>> OutreachStore::GetTouch(const std::string& touch_id,
                                                            const std::string& field) {
  auto shard = ShardOfEntityId(touch_id, "tch", field);
  if (!shard.ok()) return shard.status();
  auto t = ReadEntity<v1::Touch>(redis_, TouchKey(*shard, touch_id));
  if (!t.ok()) return t.status();
  if (!t->has_value()) return absl::NotFoundError(field + ": touch " + Excerpt(touch_id) + " not found");
  return **t;
}

absl::StatusOr<std::vector<v1::Touch>> OutreachStore::TouchesOf(const std::string& customer_id,
                                                               int offset, int limit) {
  const int shard = ShardOf(customer_id);
  auto ids = redis_.Command({"ZREVRANGE", TouchesOfKey(shard, customer_id),
                             std::to_string(offset), std::to_string(offset + limit - 1)});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> keys;
  for (const auto& id : ids->elements) keys.push_back(TouchKey(shard, id.str));
  auto touches = ReadEntities<v1::Touch>(redis_, keys);
  if (!touches.ok()) return touches.status();
  std::vector<v1::Touch> out;
  for (auto& t : *touches) out.push_back(std::move(t.value));
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
  auto states = ReadEntities<store::CustomerState>(redis_, keys);
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
