// OrderCache (order_cache.h): a bounded map of order ID -> the newest version seen.
#include "services/order/store/order_cache.h"

#include <utility>

namespace revisit::order {

OrderCache::Entry OrderCache::Get(const std::string& order_id) const {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(order_id);
  return it == entries_.end() ? nullptr : it->second;
}

void OrderCache::Put(Versioned<v1::Order> order) {
  if (capacity_ == 0) return;
  std::string id = order.value.order_id();
  auto entry = std::make_shared<const Versioned<v1::Order>>(std::move(order));
  absl::MutexLock lock(&mu_);
  auto [it, inserted] = entries_.try_emplace(id, entry);
  if (!inserted) {
    if (it->second->version < entry->version) it->second = std::move(entry);
    return;
  }
  order_.push_back(std::move(id));
  // Evict the oldest inserted. An ID dropped and put again is in order_ twice; the
  // second bound keeps order_ from growing with such repeats (erasing an entry early
  // only costs a read).
  while ((entries_.size() > capacity_ || order_.size() > 2 * capacity_) && !order_.empty()) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

void OrderCache::Drop(const std::string& order_id) {
  absl::MutexLock lock(&mu_);
  entries_.erase(order_id);
}

size_t OrderCache::size() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace revisit::order
