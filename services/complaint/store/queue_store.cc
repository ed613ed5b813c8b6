#include "services/complaint/store/queue_store.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/entity.h"
#include "common/keys.h"
#include "common/status.h"
#include "services/complaint/store/complaint_store.h"

namespace revisit::complaint {
namespace {

std::string QueueKey(int shard, const std::string& queue) { return ShardKey(kService, shard, "queue:" + queue); }

// (score, complaint ID, shard)
using Entry = std::tuple<double, std::string, int>;

std::string Bound(double score) { return absl::StrCat(static_cast<int64_t>(score)); }

}  // namespace

void StageQueues(WriteBatch& batch, int shard, const v1::Complaint* before, const v1::Complaint& after) {
  const std::vector<std::string> now = QueuesOf(after);
  if (before != nullptr) {
    for (const std::string& q : QueuesOf(*before)) {
      if (std::find(now.begin(), now.end(), q) == now.end()) batch.ZRem(QueueKey(shard, q), after.complaint_id());
    }
  }
  const double score = QueueScore(after);
  for (const std::string& q : now) batch.ZAdd(QueueKey(shard, q), score, after.complaint_id());
}

absl::StatusOr<QueuePage> QueueStore::Page(const std::string& queue, const std::optional<QueueCursor>& cursor,
                                           double max_score, int limit, bool breached_only) {
  std::vector<Entry> entries;
  for (int shard = 0; shard < kShards; ++shard) {
    // Ties at the cursor's score are skipped here, so read on until limit + 1 are kept.
    int kept = 0;
    for (int offset = 0; kept <= limit;) {
      ASSIGN_OR_RETURN(RedisValue r, redis_.Command({"ZRANGEBYSCORE", QueueKey(shard, queue),
                                                     cursor ? Bound(cursor->score) : "-inf", Bound(max_score),
                                                     "WITHSCORES", "LIMIT", absl::StrCat(offset),
                                                     absl::StrCat(limit + 1)}));
      const auto& el = r.elements;
      for (size_t j = 0; j + 1 < el.size(); j += 2) {
        double score = 0;
        absl::SimpleAtod(el[j + 1].str, &score);
        if (cursor && !After(*cursor, score, el[j].str)) continue;
        entries.emplace_back(score, el[j].str, shard);
        ++kept;
      }
      if (static_cast<int>(el.size() / 2) < limit + 1) break;
      offset += limit + 1;
    }
  }
  std::sort(entries.begin(), entries.end());
  QueuePage page;
  if (static_cast<int>(entries.size()) > limit) {
    entries.resize(limit);
    page.next = QueueCursor{std::get<0>(entries.back()), std::get<1>(entries.back())};
  }
  std::vector<std::string> keys;
  for (const auto& e : entries) keys.push_back(ComplaintKey(std::get<2>(e), std::get<1>(e)));
  if (keys.empty()) return page;
  ASSIGN_OR_RETURN(auto read, ReadEntities<v1::Complaint>(redis_, keys));
  for (auto& v : read) {
    if (breached_only && !v.value.sla_breached()) continue;
    page.complaints.push_back(std::move(v.value));
  }
  return page;
}

}  // namespace revisit::complaint
