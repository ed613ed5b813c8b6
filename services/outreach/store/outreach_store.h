// Redis layout and reads of the outreach service. Writes go through TouchTxn
// (touch_txn.h), which commits one WriteBatch per change.
//
// Keys (shard = the customer's shard; touch IDs embed it, see touch_ids.h):
//   outreach:{outreach:NN}:customer:<customer_id>      entity store.CustomerState
//                                                   (customer_record.h: compact pending refs)
//   outreach:{outreach:NN}:touches                     hash touch_id -> compact v1.Touch
//                                                   (touch_record.h; guarded by the record)
//   outreach:{outreach:NN}:touches_of:<customer_id>    zset touch_id by due ms of the
//                                                   touches no longer pending (the record's
//                                                   pending refs list the pending ones)
//   outreach:{outreach:NN}:touch:<touch_id>            entity v1.Touch: the form before
//                                                   issue 17, read, moved on its next change
//   outreach:{outreach:NN}:stat:<campaign>:<counter>   integer (summed over shards)
//   outreach:{outreach:NN}:campaigns                   set of campaign names
//   outreach:{outreach:NN}:customers                   set of known customer IDs (R4)
//   outreach:{outreach:NN}:consent_log:<customer_id>   zset v1.ConsentChange by ms (R6)
//   outreach:{outreach:NN}:req:<method>:<request_id>   first response (idempotency)
//   outreach:{outreach:NN}:inbox:<ce_id>               consumed event (inbox)
//   outreach:{outreach:NN}:outbox / outbox:seq / timers / timer_data
//                                                   (common/outbox.h, timer_queue.h)
// Thread-safety: thread-safe (stateless over a thread-safe RedisClient).
// Errors: NOT_FOUND naming the field when an ID is unknown; Redis errors.
#ifndef REVISIT_SERVICES_OUTREACH_STORE_OUTREACH_STORE_H_
#define REVISIT_SERVICES_OUTREACH_STORE_OUTREACH_STORE_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/entity.h"
#include "common/redis_client.h"
#include "services/outreach/store/outreach_state.pb.h"
#include "services/outreach/store/touch_record.h"
#include "revisit/outreach/v1/outreach.pb.h"

namespace revisit::outreach {

inline constexpr char kService[] = "outreach";

std::string CustomerKey(int shard, const std::string& customer_id);
std::string TouchesKey(int shard);
std::string TouchKey(int shard, const std::string& touch_id);
std::string TouchesOfKey(int shard, const std::string& customer_id);
std::string StatKey(int shard, const std::string& campaign, const std::string& counter);
std::string CampaignsKey(int shard);
std::string KnownCustomersKey(int shard);
std::string ConsentLogKey(int shard, const std::string& customer_id);
std::string RequestKey(int shard, const std::string& method, const std::string& request_id);
std::string InboxKey(int shard, const std::string& event_id);

// The campaign counters kept per shard.
inline constexpr const char* kCounters[] = {
    "scheduled", "sent", "deferred", "suppressed", "feedback",
    "treated", "treated_revisits", "holdout", "holdout_revisits",
    "revenue_minor", "holdout_revenue_minor"};

class OutreachStore {
 public:
  explicit OutreachStore(RedisClient& redis) : redis_(redis) {}

  // The customer's record; version 0 and an empty record when unknown.
  absl::StatusOr<Versioned<store::CustomerState>> GetCustomer(const std::string& customer_id);
  // The record and touches `touch_ids` of the customer (ReadTouches), in one round
  // trip, the record read first (so a touch changed after the record was read fails
  // the record's version guard).
  struct CustomerAndTouches {
    Versioned<store::CustomerState> customer;
    std::vector<std::optional<StoredTouch>> touches;
  };
  absl::StatusOr<CustomerAndTouches> GetCustomerWithTouches(
      const std::string& customer_id, const std::vector<std::string>& touch_ids);
  // The same for many customers (customer ID, its touch IDs) in one round trip.
  struct TouchesOfCustomer {
    std::string customer_id;
    std::vector<std::string> touch_ids;
  };
  absl::StatusOr<std::vector<CustomerAndTouches>> GetCustomersWithTouches(
      const std::vector<TouchesOfCustomer>& reads);
  // True when outreach has a record of the customer (request_checks.h).
  absl::StatusOr<bool> CustomerExists(const std::string& customer_id);
  // Customers' records at `keys` (CustomerKey) in one round trip; absent ones skipped.
  absl::StatusOr<std::vector<Versioned<store::CustomerState>>> ReadCustomers(
      const std::vector<std::string>& keys);
  // A touch by ID (either stored form); NOT_FOUND naming `field` when unknown.
  absl::StatusOr<v1::Touch> GetTouch(const std::string& touch_id, const std::string& field);
  // Whether each touch of `ids` (all of shard `shard`) exists, in one round trip.
  absl::StatusOr<std::vector<bool>> TouchesExist(int shard, const std::vector<std::string>& ids);
  // A page of a customer's touches, newest due first (ties: greater ID first): the
  // pending ones from the record, the others from touches_of.
  absl::StatusOr<std::vector<v1::Touch>> TouchesOf(const std::string& customer_id, int offset,
                                                   int limit);
  // A page of a customer's consent history, oldest first (R6).
  absl::StatusOr<std::vector<v1::ConsentChange>> ConsentHistory(const std::string& customer_id,
                                                                 int offset, int limit);
  // Counter name → value summed over every shard for `campaign`.
  absl::StatusOr<std::map<std::string, int64_t>> CampaignCounters(const std::string& campaign);

  // Every known customer of `shard` with its record (R4 announcements).
  absl::StatusOr<std::vector<store::CustomerState>> CustomersOf(int shard);
  // True when `campaign` has ever counted anything.
  absl::StatusOr<bool> CampaignExists(const std::string& campaign);

  RedisClient& redis() { return redis_; }

 private:
  RedisClient& redis_;
};

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_STORE_OUTREACH_STORE_H_
