// OrderCache: the orders this process last read or committed, each with its version,
// so a mutating order RPC can decide on the cached order and send only its commit:
// one Redis round trip instead of a read and a commit (issue 17).
//
// Correctness does not depend on the cache: every commit guards the version the
// decision was made on (WriteBatch::ExpectVersion), so a stale entry (another
// instance, a timer or a replacement order changed the order since) makes the commit
// fail with ABORTED, and OrderCommands then drops the entry and reads the order from
// Redis. An entry only ever moves forward: Put ignores a version older than the one
// held, so a slow reader never replaces a newer commit.
// Bounded: at most `capacity` orders; when full, the oldest inserted entry goes
// (FIFO: an order's RPCs come close together, create -> pay -> ship -> deliver).
// capacity 0 disables the cache (every Get misses).
// Entries are immutable and shared: Get hands out the same object without a copy.
// Thread-safety: thread-safe (one mutex, held for a map lookup or insert only).
// Errors: none.
#ifndef REVISIT_SERVICES_ORDER_STORE_ORDER_CACHE_H_
#define REVISIT_SERVICES_ORDER_STORE_ORDER_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/entity.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

class OrderCache {
 public:
  using Entry = std::shared_ptr<const Versioned<v1::Order>>;

  explicit OrderCache(size_t capacity) : capacity_(capacity) {}

  // The order `order_id` as last read or committed here, or nullptr.
  Entry Get(const std::string& order_id) const;
  // Records `order` at `version` unless a newer version is held.
  void Put(Versioned<v1::Order> order);
  // Forgets `order_id` (a commit on it failed or its outcome is unknown).
  void Drop(const std::string& order_id);

  size_t size() const;
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::deque<std::string> order_ ABSL_GUARDED_BY(mu_);  // insertion order, for eviction
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_STORE_ORDER_CACHE_H_
