// Redis Cluster key slots and redirects (https://redis.io/docs/reference/cluster-spec/):
// the slot of a key is CRC16(key) mod 16384, where only the hash tag is hashed when
// the key has one ("order:{order:07}:x" hashes "order:07"). Every key that one call
// touches (a script's KEYS, a multi-key command) must share a slot; Revisit's keys
// are built that way (common/keys.h), and RedisClient refuses a call that is not, in
// single-node mode too, so a test that builds a cross-slot call fails at once.
// Thread-safety: pure functions.
// Errors: SlotOfKeys returns INVALID_ARGUMENT ("CROSSSLOT", naming two keys).
#ifndef REVISIT_COMMON_REDIS_SLOTS_H_
#define REVISIT_COMMON_REDIS_SLOTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace revisit {

inline constexpr int kClusterSlots = 16384;

// CRC16-CCITT (XMODEM), as Redis Cluster uses it.
uint16_t Crc16(absl::string_view data);

// The slot of `key` (hash tag rule applied).
int KeySlot(absl::string_view key);

// The one slot of `keys`; nullopt when `keys` is empty.
absl::StatusOr<std::optional<int>> SlotOfKeys(const std::vector<std::string>& keys);

// The keys a command touches, for the commands Revisit sends: EVAL/EVALSHA (and
// their read-only forms EVAL_RO/EVALSHA_RO) take their KEYS; commands without a key (PING, INFO, SCRIPT, CLUSTER, CONFIG, WAIT, ...)
// have none; every other command's key is argv[1].
std::vector<std::string> CommandKeys(const std::vector<std::string>& argv);

// A MOVED or ASK error reply, parsed from the status RedisClient made of it.
struct Redirect {
  bool ask = false;  // ASK: this one command only; MOVED: the slot moved for good
  int slot = 0;
  std::string address;  // "host:port"
};
std::optional<Redirect> ParseRedirect(const absl::Status& status);

}  // namespace revisit

#endif  // REVISIT_COMMON_REDIS_SLOTS_H_
