// TouchRecord: how outreach stores a touch, compactly, and reads both stored forms.
//
// Every touch of shard NN is one field of the shard's hash
// outreach:{outreach:NN}:touches: field = the touch ID, value = the v1.Touch binary
// without its touch_id (the field names it). No key, hash or version per touch: a
// touch changes only in a TouchTxn of its customer, whose record version guards it
// (TouchTxn bumps the record with every touch change). Versions before issue 17
// kept each touch as its own entity outreach:{outreach:NN}:touch:<id> {v, d}
// (~490 B each, docs/performance.md). Reads look at both forms in one round trip
// (the compact one wins); a touch read in the old form is written in the compact
// form by its next change, which deletes the old key under the version it was read
// at (the upgrade path: nothing is migrated in bulk).
// Thread-safety: pure functions, and ReadTouches over a thread-safe RedisClient.
// Errors: DATA_LOSS naming the key when stored bytes do not parse; Redis errors.
#ifndef REVISIT_SERVICES_OUTREACH_STORE_TOUCH_RECORD_H_
#define REVISIT_SERVICES_OUTREACH_STORE_TOUCH_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis_client.h"
#include "common/write_batch.h"
#include "revisit/outreach/v1/outreach.pb.h"

namespace revisit::outreach {

// A touch as read, and where from.
struct StoredTouch {
  v1::Touch touch;
  // > 0: read from the old per-touch entity at this version (to be moved on write).
  int64_t legacy_version = 0;
};

// The compact value of `touch` (its binary without touch_id).
std::string EncodeTouch(const v1::Touch& touch);

// The two reads of touch `id` in shard `shard` (compact field, old entity), in order.
std::vector<std::vector<std::string>> TouchReads(int shard, const std::string& id);

// The touch from the replies to TouchReads: nullopt when neither form exists.
absl::StatusOr<std::optional<StoredTouch>> ParseTouchReads(int shard, const std::string& id,
                                                           const RedisValue& compact,
                                                           const RedisValue& legacy);

// Reads touches `ids` of shard `shard` in one pipelined round trip, in order.
absl::StatusOr<std::vector<std::optional<StoredTouch>>> ReadTouches(
    RedisClient& redis, int shard, const std::vector<std::string>& ids);

// Stages the write of `t` in the compact form; a touch read in the old form also
// guards and deletes its old entity. With `compact` false (a rollout from a version
// before it: REVISIT_OUTREACH_COMPACT_TOUCHES) it writes the old entity instead,
// under its version, and drops a compact copy. The caller guards the customer's record.
void StageTouchWrite(WriteBatch& batch, int shard, const StoredTouch& t, bool compact = true);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_STORE_TOUCH_RECORD_H_
