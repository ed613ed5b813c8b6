#include "common/keys.h"

#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/text.h"

namespace revisit {

namespace {

uint64_t Fnv1a64(absl::string_view data) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

int ShardOf(absl::string_view customer_id) {
  return static_cast<int>(Fnv1a64(customer_id) % kShards);
}

std::string StableEntityId(absl::string_view prefix, int shard, absl::string_view seed) {
  return absl::StrFormat("%s-%02x-%016x", prefix, shard, Fnv1a64(seed));
}

std::string ShardPrefix(absl::string_view service, int shard) {
  return absl::StrFormat("%s:{%s:%02d}:", service, service, shard);
}

std::string ShardKey(absl::string_view service, int shard, absl::string_view suffix) {
  return absl::StrCat(ShardPrefix(service, shard), suffix);
}

std::string NewEntityId(absl::string_view prefix, int shard) {
  static thread_local absl::BitGen gen;
  return absl::StrFormat("%s-%02x-%016x", prefix, shard, absl::Uniform<uint64_t>(gen));
}

absl::StatusOr<int> ShardOfEntityId(absl::string_view id, absl::string_view prefix,
                                    absl::string_view field) {
  auto bad = [&] {
    return absl::NotFoundError(absl::StrCat(field, " ", Excerpt(id), " does not exist (not a ",
                                            prefix, "- ID issued by this service)"));
  };
  if (id.size() != prefix.size() + 1 + 2 + 1 + 16 || !absl::StartsWith(id, prefix) ||
      id[prefix.size()] != '-' || id[prefix.size() + 3] != '-') {
    return bad();
  }
  int shard = 0;
  if (!absl::SimpleHexAtoi(id.substr(prefix.size() + 1, 2), &shard) || shard >= kShards) {
    return bad();
  }
  return shard;
}

}  // namespace revisit
