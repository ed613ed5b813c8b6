// Redis layout, reads and staged writes of the complaint service.
//
// Keys (shard = the customer's shard; complaint and order IDs embed it):
//   complaint:{complaint:NN}:complaint:<id>        hash v (version), d (Complaint)
//   complaint:{complaint:NN}:order:<order_id>      projection: v = last applied order event
//                                                   sequence, d = order.v1.OrderFacts
//   complaint:{complaint:NN}:tier:<customer_id>    the customer's loyalty tier (C16)
//   complaint:{complaint:NN}:warranty:<order_id>   hash promise_id → extended warranty days (O8)
//   complaint:{complaint:NN}:terms:<order_id>      entity v1.OrderTerms: 三包 terms when paid (O8)
//   complaint:{complaint:NN}:req:<method>:<rid>    first response of a request (idempotency)
//   complaint:{complaint:NN}:inbox:<ce_id>         consumed event (inbox)
//   complaint:{complaint:NN}:all | by_state:<S> | by_customer:<cid>
//                                                   zsets of complaint IDs by opened ms
//   complaint:{complaint:NN}:breached              zset of SLA-breached complaint IDs
//   complaint:{complaint:NN}:deadlines             zset complaint ID → earliest running shop deadline ms
//   complaint:{complaint:NN}:queue:<queue>         work queues (queue_store.h)
//   complaint:{complaint:NN}:causes                zset "<id>|<cause>|<sku,...>" by determined ms (C11)
//   complaint:{complaint:NN}:outbox / outbox:seq / timers / timer_data
//                                                   (common/outbox.h, timer_queue.h)
// Thread-safety: thread-safe (stateless over a thread-safe RedisClient).
// Errors: NOT_FOUND naming the field for unknown IDs; DATA_LOSS for unreadable
// records; Redis errors.
#ifndef REVISIT_SERVICES_COMPLAINT_STORE_COMPLAINT_STORE_H_
#define REVISIT_SERVICES_COMPLAINT_STORE_COMPLAINT_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/entity.h"
#include "common/redis_client.h"
#include "common/write_batch.h"
#include "services/complaint/domain/decide.h"

namespace revisit::complaint {

inline constexpr char kService[] = "complaint";

// The shard of a customer: the one embedded in "cus-NN-..." IDs, else a hash.
int CustomerShard(const std::string& customer_id);

std::string ComplaintKey(int shard, const std::string& id);
std::string OrderKey(int shard, const std::string& order_id);
std::string TierKey(int shard, const std::string& customer_id);
std::string RequestKey(int shard, const std::string& method, const std::string& request_id);
std::string InboxKey(int shard, const std::string& event_id);
// Hash promise_id → extra warranty days promised for an order (O8).
std::string WarrantyKey(int shard, const std::string& order_id);
// The 三包 terms recorded when the order was paid (O8), written once.
std::string TermsKey(int shard, const std::string& order_id);

// A complaint as stored.
struct StoredComplaint {
  v1::Complaint complaint;
  int64_t version = 0;  // 0 = new
};

class ComplaintStore {
 public:
  explicit ComplaintStore(RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<StoredComplaint> Get(const std::string& complaint_id);
  // The projection of an order, nullopt if no event of it was seen.
  absl::StatusOr<std::optional<Versioned<order::v1::OrderFacts>>> GetOrder(int shard,
                                                                          const std::string& order_id);
  // The projection of the order `order_id` names: INVALID_ARGUMENT for a malformed
  // ID, NOT_FOUND "order_id: ..." when it is not an order ID or no event of it was seen.
  absl::StatusOr<order::v1::OrderFacts> OrderOf(const std::string& order_id);
  // The order of `c`, or an order with no lines (only the customer) when `c` has none.
  absl::StatusOr<order::v1::OrderFacts> OrderOfComplaint(const v1::Complaint& c);
  absl::StatusOr<loyalty::v1::Tier> GetTier(int shard, const std::string& customer_id);
  // Extra warranty days promised for an order (O8), 0 if none.
  absl::StatusOr<int> ExtraWarrantyDays(int shard, const std::string& order_id);
  // The 三包 terms recorded for an order when it was paid (O8), nullopt if none.
  absl::StatusOr<std::optional<v1::OrderTerms>> GetTerms(int shard, const std::string& order_id);

  // Adds to `batch` the writes of a decision about `before` (version guard, entity,
  // indexes, events, timers). `completed_timer` (if any) is guarded by the caller
  // with CompleteTimer and not cancelled again here.
  void Stage(WriteBatch& batch, const StoredComplaint& before, const Effects& e, absl::Time now,
             const std::string& completed_timer = "") const;

  // Complaint IDs newest first for the filters (any may be empty/unset).
  absl::StatusOr<std::vector<v1::Complaint>> List(v1::ComplaintState state, const std::string& customer_id,
                                                  v1::SlaFilter sla, absl::Time now, absl::Duration at_risk,
                                                  int offset, int limit,
                                                  bool* more);
  // Counts of determined causes per SKU for complaints whose cause was determined in [from, to).
  absl::StatusOr<std::vector<v1::CauseCount>> ReportCauses(absl::Time from, absl::Time to);
  // Per SKU: the complaints other than `exclude_complaint_id` whose determined cause
  // `cause` was determined in [from, to] (C11 recurring-cause alert). Reads every shard.
  absl::StatusOr<CauseCounts> CountCause(v1::Cause cause, absl::Time from, absl::Time to,
                                         const std::string& exclude_complaint_id);

  RedisClient& redis() { return redis_; }

 private:
  // Visits (complaint ID, cause, SKU) of every causes entry scored from `from` to
  // `to_bound` (a ZRANGEBYSCORE max: "123" inclusive, "(123" exclusive), all shards.
  absl::Status ForEachCause(absl::Time from, const std::string& to_bound,
                            const std::function<void(const std::string&, int, absl::string_view)>& visit);

  RedisClient& redis_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_STORE_COMPLAINT_STORE_H_
