#include "services/loyalty/store/redis_batch_store.h"

#include "absl/strings/numbers.h"
#include "common/keys.h"
#include "common/log.h"
#include "services/loyalty/domain/account.h"

namespace revisit::loyalty {
namespace {

std::string TraceOf(const std::string& traceparent) {
  return ParseTraceparent(traceparent).value_or(NewTraceId());
}

// An HMGET v d reply as an account (fresh at version 0 when absent).
absl::StatusOr<Versioned<internal::Account>> AccountFrom(const std::string& customer,
                                                         const std::string& key,
                                                         const absl::StatusOr<RedisValue>& r) {
  if (!r.ok()) return r.status();
  Versioned<internal::Account> out;
  if (r->elements.size() != 2 || r->elements[1].is_nil()) {
    out.value = NewAccount(customer);
    return out;
  }
  if (!absl::SimpleAtoi(r->elements[0].str, &out.version)) {
    return absl::DataLossError("entity " + key + " has a bad version");
  }
  absl::Status st = ParseStored(key, r->elements[1].str, &out.value);
  if (!st.ok()) return st;
  return out;
}

}  // namespace

absl::StatusOr<BatchSnapshot> RedisBatchStore::Read(
    const std::vector<std::string>& customers,
    const std::vector<std::pair<std::string, std::string>>& events) {
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(customers.size() + events.size());
  for (const auto& c : customers) cmds.push_back({"HMGET", AccountKey(ShardOf(c), c), "v", "d"});
  for (const auto& [c, id] : events) cmds.push_back({"EXISTS", InboxKey(ShardOf(c), id)});
  auto replies = store_.redis().Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  BatchSnapshot out;
  for (size_t i = 0; i < customers.size(); ++i) {
    const std::string& c = customers[i];
    out.accounts.push_back(AccountFrom(c, AccountKey(ShardOf(c), c), (*replies)[i]));
  }
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& r = (*replies)[customers.size() + i];
    if (r.ok()) {
      out.seen.push_back(r->integer == 1);
    } else {
      out.seen.push_back(r.status());
    }
  }
  return out;
}

WriteBatch RedisBatchStore::ChainBatch(const AccountChain& chain, absl::Time now) const {
  const int shard = ShardOf(chain.customer_id);
  WriteBatch batch;
  const internal::Account& account = chain.account;
  for (const ChainStep& step : chain.steps) {
    batch.Dedupe(InboxKey(shard, step.event_id), inbox_ttl_, "1");
    ScopedTraceId trace(TraceOf(step.traceparent));  // the outbox events' ce_traceparent
    store_.AddChangeWrites(batch, account, step.effects, now);
  }
  const int64_t steps = static_cast<int64_t>(chain.steps.size());
  store_.AddAccountPut(batch, account, chain.read_version, chain.read_version + steps, now,
                       rules_);
  return batch;
}

std::vector<absl::Status> RedisBatchStore::Commit(const std::vector<AccountChain>& chains,
                                                  absl::Time now) {
  std::vector<WriteBatch> batches;
  batches.reserve(chains.size());
  for (const auto& chain : chains) batches.push_back(ChainBatch(chain, now));
  auto results = WriteBatch::CommitAll(store_.redis(), std::move(batches));
  std::vector<absl::Status> out;
  for (size_t i = 0; i < chains.size(); ++i) {
    if (!results.ok()) {
      out.push_back(results.status());
    } else if (!(*results)[i].ok()) {
      out.push_back((*results)[i].status());
    } else if ((*results)[i]->duplicate) {
      out.push_back(absl::AlreadyExistsError("an event of the chain is already in the inbox"));
    } else {
      out.push_back(absl::OkStatus());
    }
  }
  return out;
}

absl::Status RedisBatchStore::ApplyOne(const EventEnvelope& event) {
  ScopedTraceId trace(TraceOf(event.traceparent));
  return apply_one_(event);
}

}  // namespace revisit::loyalty
