#include "common/redis_slots.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace revisit {

uint16_t Crc16(absl::string_view data) {
  uint16_t crc = 0;
  for (unsigned char byte : data) {
    crc ^= static_cast<uint16_t>(byte) << 8;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 0x8000) ? static_cast<uint16_t>((crc << 1) ^ 0x1021)
                           : static_cast<uint16_t>(crc << 1);
    }
  }
  return crc;
}

int KeySlot(absl::string_view key) {
  size_t open = key.find('{');
  if (open != absl::string_view::npos) {
    size_t close = key.find('}', open + 1);
    if (close != absl::string_view::npos && close > open + 1) {
      key = key.substr(open + 1, close - open - 1);
    }
  }
  return Crc16(key) % kClusterSlots;
}

absl::StatusOr<std::optional<int>> SlotOfKeys(const std::vector<std::string>& keys) {
  std::optional<int> slot;
  for (const std::string& key : keys) {
    int s = KeySlot(key);
    if (slot.has_value() && *slot != s) {
      return absl::InvalidArgumentError(absl::StrCat(
          "CROSSSLOT: keys \"", keys.front(), "\" and \"", key,
          "\" hash to different slots (give them one hash tag, common/keys.h)"));
    }
    slot = s;
  }
  return slot;
}

std::vector<std::string> CommandKeys(const std::vector<std::string>& argv) {
  if (argv.size() < 2) return {};
  std::string name = absl::AsciiStrToUpper(argv[0]);
  static const std::set<std::string>* const kKeyless = new std::set<std::string>{
      "PING", "INFO", "SCRIPT", "CLUSTER", "CONFIG", "WAIT", "FLUSHALL", "FLUSHDB", "DBSIZE",
      "ACL", "AUTH", "ASKING", "READONLY", "CLIENT", "COMMAND", "DEBUG", "TIME", "BGREWRITEAOF"};
  if (kKeyless->count(name) > 0) return {};
  if (name == "EVAL" || name == "EVALSHA" || name == "EVAL_RO" || name == "EVALSHA_RO") {
    int n = 0;
    if (argv.size() < 3 || !absl::SimpleAtoi(argv[2], &n) || n < 0 ||
        argv.size() < 3 + static_cast<size_t>(n)) {
      return {};
    }
    return std::vector<std::string>(argv.begin() + 3, argv.begin() + 3 + n);
  }
  return {argv[1]};
}

std::optional<Redirect> ParseRedirect(const absl::Status& status) {
  // DecodeReply turns the error reply "MOVED 3999 127.0.0.1:6381" into INTERNAL
  // "redis: MOVED 3999 127.0.0.1:6381".
  absl::string_view text = status.message();
  if (!absl::ConsumePrefix(&text, "redis: ")) return std::nullopt;
  std::vector<absl::string_view> parts = absl::StrSplit(text, ' ');
  if (parts.size() != 3 || (parts[0] != "MOVED" && parts[0] != "ASK")) return std::nullopt;
  Redirect r;
  r.ask = parts[0] == "ASK";
  if (!absl::SimpleAtoi(parts[1], &r.slot) || r.slot < 0 || r.slot >= kClusterSlots) {
    return std::nullopt;
  }
  r.address = std::string(parts[2]);
  return r;
}

}  // namespace revisit
