// RedisBatchStore: BatchStore over the loyalty Redis layout (loyalty_store.h).
// Read is one pipeline (HMGET per account, EXISTS per inbox key); Commit is one
// pipeline of commit.lua calls (WriteBatch::CommitAll), one per chain, each with the
// version guard, every step's inbox Dedupe and the chain's writes, so a chain applies
// entirely or not at all. Outbox events carry the trace of the event that caused them.
// Thread-safety: thread-safe (stateless over a thread-safe RedisClient).
// Errors: Redis errors per account/inbox key/chain; DATA_LOSS for unparsable accounts.
#ifndef REVISIT_SERVICES_LOYALTY_STORE_REDIS_BATCH_STORE_H_
#define REVISIT_SERVICES_LOYALTY_STORE_REDIS_BATCH_STORE_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "services/loyalty/store/batch_apply.h"
#include "services/loyalty/store/loyalty_store.h"

namespace revisit::loyalty {

class RedisBatchStore : public BatchStore {
 public:
  using ApplyOneFn = std::function<absl::Status(const EventEnvelope&)>;
  RedisBatchStore(LoyaltyStore& store, const LoyaltyRules& rules, absl::Duration inbox_ttl,
                  ApplyOneFn apply_one)
      : store_(store), rules_(rules), inbox_ttl_(inbox_ttl), apply_one_(std::move(apply_one)) {}

  absl::StatusOr<BatchSnapshot> Read(
      const std::vector<std::string>& customers,
      const std::vector<std::pair<std::string, std::string>>& events) override;
  std::vector<absl::Status> Commit(const std::vector<AccountChain>& chains,
                                   absl::Time now) override;
  // Runs `apply_one` under the event's trace.
  absl::Status ApplyOne(const EventEnvelope& event) override;

 private:
  WriteBatch ChainBatch(const AccountChain& chain, absl::Time now) const;

  LoyaltyStore& store_;
  const LoyaltyRules& rules_;
  const absl::Duration inbox_ttl_;
  const ApplyOneFn apply_one_;
};

}  // namespace revisit::loyalty

#endif  // REVISIT_SERVICES_LOYALTY_STORE_REDIS_BATCH_STORE_H_
