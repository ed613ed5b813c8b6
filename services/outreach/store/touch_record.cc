#include "services/outreach/store/touch_record.h"

#include "absl/strings/numbers.h"
#include "common/entity.h"
#include "services/outreach/store/outreach_store.h"

namespace revisit::outreach {

std::string EncodeTouch(const v1::Touch& touch) {
  v1::Touch compact = touch;
  compact.clear_touch_id();
  return compact.SerializeAsString();
}

std::vector<std::vector<std::string>> TouchReads(int shard, const std::string& id) {
  return {{"HGET", TouchesKey(shard), id}, {"HMGET", TouchKey(shard, id), "v", "d"}};
}

absl::StatusOr<std::optional<StoredTouch>> ParseTouchReads(int shard, const std::string& id,
                                                           const RedisValue& compact,
                                                           const RedisValue& legacy) {
  StoredTouch out;
  if (!compact.is_nil()) {
    absl::Status st = ParseStored(TouchesKey(shard) + " " + id, compact.str, &out.touch);
    if (!st.ok()) return st;
    out.touch.set_touch_id(id);
    return std::optional<StoredTouch>(std::move(out));
  }
  if (legacy.elements.size() != 2 || legacy.elements[1].is_nil())
    return std::optional<StoredTouch>();
  const std::string key = TouchKey(shard, id);
  if (!absl::SimpleAtoi(legacy.elements[0].str, &out.legacy_version) || out.legacy_version <= 0)
    return absl::DataLossError("entity " + key + " has a bad version");
  absl::Status st = ParseStored(key, legacy.elements[1].str, &out.touch);
  if (!st.ok()) return st;
  return std::optional<StoredTouch>(std::move(out));
}

absl::StatusOr<std::vector<std::optional<StoredTouch>>> ReadTouches(
    RedisClient& redis, int shard, const std::vector<std::string>& ids) {
  std::vector<std::vector<std::string>> cmds;
  for (const auto& id : ids)
    for (auto& c : TouchReads(shard, id)) cmds.push_back(std::move(c));
  std::vector<std::optional<StoredTouch>> out;
  if (ids.empty()) return out;
  auto replies = redis.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  for (size_t i = 0; i < ids.size(); ++i) {
    const auto& compact = (*replies)[2 * i];
    const auto& legacy = (*replies)[2 * i + 1];
    if (!compact.ok()) return compact.status();
    if (!legacy.ok()) return legacy.status();
    auto t = ParseTouchReads(shard, ids[i], *compact, *legacy);
    if (!t.ok()) return t.status();
    out.push_back(*std::move(t));
  }
  return out;
}

void StageTouchWrite(WriteBatch& batch, int shard, const StoredTouch& t, bool compact) {
  const std::string& id = t.touch.touch_id();
  if (!compact) {
    const std::string old_key = TouchKey(shard, id);
    batch.ExpectVersion(old_key, t.legacy_version)
        .Put(old_key, t.legacy_version + 1, t.touch.SerializeAsString());
    batch.HDel(TouchesKey(shard), id);
    return;
  }
  batch.HSet(TouchesKey(shard), id, EncodeTouch(t.touch));
  if (t.legacy_version > 0) {
    const std::string old_key = TouchKey(shard, id);
    batch.ExpectVersion(old_key, t.legacy_version).Delete(old_key);
  }
}

}  // namespace revisit::outreach
