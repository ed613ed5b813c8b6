// LookupIndex: the FindCustomers indexes of the customer archive (O2). The archive's
// PII stays in the customer entity; the index keys carry only a keyed hash of the
// normalized term (domain/lookup_terms.h), so Redis never holds a second plain copy
// of a phone number or an e-mail address:
//   order:{order:NN}:find:phone:<hex>      set of customer IDs
//   order:{order:NN}:find:email:<hex>      set of customer IDs
//   order:{order:NN}:find:tracking:<hex>   set of order IDs
// <hex> = HMAC-SHA256(secret, "<kind>:<term>") when a secret is configured
// (REVISIT_ORDER_LOOKUP_KEY_FILE), else SHA-256 of the same text (see the README: a
// phone number has too little entropy for a plain hash to hide it from a reader of
// Redis who can enumerate numbers; the secret makes that impossible without it).
// Entries live in the shard of their customer (the hash tag of the entity), so they
// are written by the same WriteBatch (one Lua script) as the customer or order: a
// write and its index never disagree, also on Redis Cluster. A lookup therefore asks
// every shard (one pipeline, split per node).
// Thread-safety: thread-safe (immutable after construction over a thread-safe client).
// Errors: Find returns Redis errors (UNAVAILABLE, ...).
#ifndef REVISIT_SERVICES_ORDER_STORE_LOOKUP_INDEX_H_
#define REVISIT_SERVICES_ORDER_STORE_LOOKUP_INDEX_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis_client.h"
#include "common/write_batch.h"
#include "revisit/order/v1/order.pb.h"
#include "services/order/domain/lookup_terms.h"

namespace revisit::order {

class LookupIndex {
 public:
  // `secret` empty: unkeyed SHA-256 (development only, see above).
  LookupIndex(RedisClient& redis, std::string secret);

  // The index key of `term` in `shard`.
  std::string Key(int shard, const LookupTerm& term) const;

  // Stages the index changes of writing `after` over `before` (nullptr: a new
  // customer): the terms it lost are removed, every term it has is added (again).
  void StageCustomer(WriteBatch& batch, int shard, const v1::Customer* before,
                     const v1::Customer& after) const;
  // Stages the tracking-number entry of a shipped order (a no-op before shipping;
  // adding again is harmless, a set keeps one member).
  void StageOrder(WriteBatch& batch, int shard, const v1::Order& order) const;

  // The IDs stored under `term` in every shard, each once, sorted.
  absl::StatusOr<std::vector<std::string>> Find(const LookupTerm& term) const;

 private:
  std::string Digest(const LookupTerm& term) const;

  RedisClient& redis_;
  const std::string secret_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_STORE_LOOKUP_INDEX_H_
