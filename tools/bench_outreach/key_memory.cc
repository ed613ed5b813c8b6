#include "tools/bench_outreach/key_memory.h"

#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"

namespace revisit::bench {
namespace {

// "svc:{svc:07}:kind:rest" -> "kind"; "" when the key is not the service's.
std::string KindOf(const std::string& key, const std::string& service) {
  const std::string tag_end = "}:";
  if (key.rfind(service + ":{", 0) != 0) return "";
  size_t at = key.find(tag_end);
  if (at == std::string::npos) return "";
  at += tag_end.size();
  size_t end = key.find(':', at);
  return key.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

struct Kind {
  int64_t keys = 0;
  std::vector<std::string> sampled;
};

absl::StatusOr<std::map<std::string, Kind>> ScanKinds(RedisClient& redis,
                                                      const std::string& service, int sample) {
  std::map<std::string, Kind> kinds;
  std::string cursor = "0";
  do {
    auto r = redis.Command({"SCAN", cursor, "MATCH", service + ":*", "COUNT", "1000"});
    if (!r.ok()) return r.status();
    if (r->elements.size() != 2) return absl::InternalError("SCAN: unexpected reply");
    cursor = r->elements[0].str;
    for (const auto& k : r->elements[1].elements) {
      Kind& kind = kinds[KindOf(k.str, service)];
      if (static_cast<int>(kind.sampled.size()) < sample) kind.sampled.push_back(k.str);
      ++kind.keys;
    }
  } while (cursor != "0");
  return kinds;
}

}  // namespace

absl::StatusOr<std::vector<KeyKindMemory>> MemoryByKeyKind(RedisClient& redis,
                                                           const std::string& service,
                                                           int sample) {
  auto kinds = ScanKinds(redis, service, sample);
  if (!kinds.ok()) return kinds.status();
  std::vector<KeyKindMemory> rows;
  for (const auto& [name, kind] : *kinds) {
    std::vector<std::vector<std::string>> cmds;
    for (const auto& k : kind.sampled) cmds.push_back({"MEMORY", "USAGE", k, "SAMPLES", "0"});
    cmds.push_back({"OBJECT", "ENCODING", kind.sampled.front()});
    auto replies = redis.Pipeline(cmds);
    if (!replies.ok()) return replies.status();
    int64_t sampled_bytes = 0;
    for (size_t i = 0; i + 1 < replies->size(); ++i)
      if ((*replies)[i].ok()) sampled_bytes += (*replies)[i]->integer;
    KeyKindMemory row{name.empty() ? "(other)" : name, kind.keys, "", 0};
    if (replies->back().ok()) row.encoding = replies->back()->str;
    row.bytes = sampled_bytes * kind.keys / static_cast<int64_t>(kind.sampled.size());
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
  return rows;
}

std::string FormatKeyMemory(const std::vector<KeyKindMemory>& rows, int64_t per) {
  std::string out = absl::StrFormat("%-14s %9s %-10s %14s %10s\n", "key kind", "keys", "encoding",
                                    "bytes", "B/touch");
  int64_t total = 0;
  for (const auto& r : rows) {
    total += r.bytes;
    out += absl::StrFormat("%-14s %9d %-10s %14d %10.1f\n", r.kind, r.keys, r.encoding, r.bytes,
                           per > 0 ? static_cast<double>(r.bytes) / per : 0.0);
  }
  out += absl::StrFormat("%-14s %9s %-10s %14d %10.1f\n", "total", "", "", total,
                         per > 0 ? static_cast<double>(total) / per : 0.0);
  return out;
}

}  // namespace revisit::bench
