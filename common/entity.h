// Reading versioned entities written by WriteBatch::Put, and idempotency records.
//
// An entity is a Redis hash {v: version, d: serialized protobuf}. Services read it
// with its version, decide in pure code, and commit with ExpectVersion(version) and
// Put(version + 1). The version is not the event sequence: ce_sequence comes from
// the subject's counter (SequenceKey in common/outbox.h), so a change without an
// event leaves no gap.
// Thread-safety: pure functions over a thread-safe RedisClient.
// Errors: Redis errors pass through; DATA_LOSS when stored bytes do not parse.
#ifndef REVISIT_COMMON_ENTITY_H_
#define REVISIT_COMMON_ENTITY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "common/redis_client.h"

namespace revisit {

// A protobuf value with the version it was read at (0 = did not exist).
template <typename T>
struct Versioned {
  T value;
  int64_t version = 0;
};

// Reads the raw entity at `key`: nullopt when absent.
absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> ReadRaw(RedisClient& redis,
                                                                       const std::string& key);

// Decodes the reply of `HMGET key v d` (as ReadRaw sends it, e.g. inside a caller's
// pipeline): nullopt when absent, DATA_LOSS naming `key` for a bad version.
absl::StatusOr<std::optional<std::pair<int64_t, std::string>>> DecodeRaw(const std::string& key,
                                                                        const RedisValue& reply);

// Parses `bytes` into `msg`, DATA_LOSS naming `key` when they do not parse.
absl::Status ParseStored(const std::string& key, const std::string& bytes,
                         google::protobuf::Message* msg);

// Reads entity `key` as T: nullopt when absent.
template <typename T>
absl::StatusOr<std::optional<Versioned<T>>> ReadEntity(RedisClient& redis, const std::string& key) {
  auto raw = ReadRaw(redis, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::optional<Versioned<T>>();
  Versioned<T> out;
  out.version = (*raw)->first;
  absl::Status st = ParseStored(key, (*raw)->second, &out.value);
  if (!st.ok()) return st;
  return std::optional<Versioned<T>>(std::move(out));
}

// Reads many entities in one round trip (absent ones are skipped).
template <typename T>
absl::StatusOr<std::vector<Versioned<T>>> ReadEntities(RedisClient& redis,
                                                       const std::vector<std::string>& keys) {
  std::vector<std::vector<std::string>> cmds;
  for (const auto& k : keys) cmds.push_back({"HMGET", k, "v", "d"});
  auto replies = redis.Pipeline(cmds);
  if (!replies.ok()) return replies.status();
  std::vector<Versioned<T>> out;
  for (size_t i = 0; i < replies->size(); ++i) {
    auto& r = (*replies)[i];
    if (!r.ok()) return r.status();
    if (r->elements.size() != 2 || r->elements[1].is_nil()) continue;
    Versioned<T> v;
    if (!absl::SimpleAtoi(r->elements[0].str, &v.version)) {
      return absl::DataLossError("entity " + keys[i] + " has a bad version");
    }
    absl::Status st = ParseStored(keys[i], r->elements[1].str, &v.value);
    if (!st.ok()) return st;
    out.push_back(std::move(v));
  }
  return out;
}

// The response recorded under idempotency key `key`, if any, parsed into `response`
// (common/recorded_answer.h: FAILED_PRECONDITION when it was recorded for another
// request than `request`). Returns true when one was found.
absl::StatusOr<bool> ReadPriorResponse(RedisClient& redis, const std::string& key,
                                       const google::protobuf::Message& request,
                                       google::protobuf::Message* response);

// What ReadPriorOrRaw found: a recorded response (repeat, parsed into the caller's
// message) or else the raw entity (nullopt when absent).
struct PriorOrRaw {
  bool repeat = false;
  std::optional<std::pair<int64_t, std::string>> raw;
};

// One round trip for an RPC that must do something outside Redis before its
// RunIdempotent (e.g. ask another service): the response recorded under
// `dedupe_key`, if any, parsed into `response`, and otherwise the raw entity at `key`.
absl::StatusOr<PriorOrRaw> ReadPriorOrRaw(RedisClient& redis, const std::string& dedupe_key,
                                          const google::protobuf::Message& request,
                                          google::protobuf::Message* response,
                                          const std::string& key);

}  // namespace revisit

#endif  // REVISIT_COMMON_ENTITY_H_
