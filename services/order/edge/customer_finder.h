// CustomerFinder: FindCustomers (O2), finding archive entries by a phone number, an
// e-mail address or a tracking number. The request's term is normalized
// (domain/lookup_terms.h) and looked up in the hashed index (store/lookup_index.h);
// every hit is read back and kept only when the stored customer (or order) really
// carries the term now, so a hash collision or a stale entry never returns a stranger.
// Read-only: no request_id, nothing written.
// Thread-safety: thread-safe (the store and index are).
// Errors: INVALID_ARGUMENT naming the field (none set, or a value that does not
// normalize); Redis errors. No match is OK with an empty answer, not NOT_FOUND.
#ifndef REVISIT_SERVICES_ORDER_EDGE_CUSTOMER_FINDER_H_
#define REVISIT_SERVICES_ORDER_EDGE_CUSTOMER_FINDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "revisit/order/v1/order.pb.h"
#include "services/order/store/order_store.h"
#include "services/order/store/lookup_index.h"

namespace revisit::order {

class CustomerFinder {
 public:
  // At most this many customers are returned (a shared phone of a large family).
  static constexpr int kMaxMatches = 100;

  CustomerFinder(OrderStore& store, const LookupIndex& index) : store_(store), index_(index) {}

  absl::StatusOr<v1::FindCustomersResponse> Find(const v1::FindCustomersRequest& req);

 private:
  // The orders under a tracking term that still carry it; their customers' IDs.
  absl::Status MatchOrders(const std::string& tracking, const std::vector<std::string>& order_ids,
                           v1::FindCustomersResponse* resp, std::vector<std::string>* customer_ids);
  // The customers among `ids` that still carry `term` (phone/e-mail), or all of them
  // (tracking: already checked on the order).
  absl::Status AddCustomers(const LookupTerm& term, const std::vector<std::string>& ids,
                            v1::FindCustomersResponse* resp);

  OrderStore& store_;
  const LookupIndex& index_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_CUSTOMER_FINDER_H_
