// Redis layout and reads of the work queues (queues.h):
//   complaint:{complaint:NN}:queue:<queue>   zset complaint ID → QueueScore
// one per queue and shard, written in the same WriteBatch as the complaint.
// A page is read by cursor from every shard's zset (at most page size + 1 entries
// each, plus ties at the cursor's score), merged, then the complaints are read:
// never every complaint of a shard.
// Thread-safety: thread-safe (stateless over a thread-safe RedisClient).
// Errors: Redis errors; DATA_LOSS for unreadable records.
#ifndef REVISIT_SERVICES_COMPLAINT_STORE_QUEUE_STORE_H_
#define REVISIT_SERVICES_COMPLAINT_STORE_QUEUE_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis_client.h"
#include "common/write_batch.h"
#include "services/complaint/domain/queues.h"

namespace revisit::complaint {

// Adds to `batch` the queue changes from `before` (nullptr for a new complaint) to `after`.
void StageQueues(WriteBatch& batch, int shard, const v1::Complaint* before, const v1::Complaint& after);

// One page of a queue.
struct QueuePage {
  std::vector<v1::Complaint> complaints;
  // Set when more entries follow: the cursor of the last entry read.
  std::optional<QueueCursor> next;
};

class QueueStore {
 public:
  explicit QueueStore(RedisClient& redis) : redis_(redis) {}

  // Up to `limit` complaints of `queue` after `cursor` whose score is at most
  // `max_score`, soonest first. `breached_only` drops complaints without an SLA
  // breach after reading (the page may then be shorter; `next` still moves on).
  absl::StatusOr<QueuePage> Page(const std::string& queue, const std::optional<QueueCursor>& cursor,
                                 double max_score, int limit, bool breached_only);

 private:
  RedisClient& redis_;
};

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_STORE_QUEUE_STORE_H_
