#include "common/event_type.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace revisit {
namespace {

bool IsService(absl::string_view s) {
  return s == "order" || s == "complaint" || s == "loyalty" || s == "outreach";
}

}  // namespace

bool IsEventName(absl::string_view name) {
  if (name.empty() || !absl::ascii_islower(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_') return false;
  }
  return true;
}

std::optional<EventType> ParseEventType(absl::string_view type) {
  std::vector<absl::string_view> parts = absl::StrSplit(type, '.');
  if (parts.size() != 4 || parts[0] != "revisit" || !IsService(parts[1]) ||
      !IsEventName(parts[2])) {
    return std::nullopt;
  }
  absl::string_view v = parts[3];
  if (v.size() < 2 || v[0] != 'v') return std::nullopt;
  v.remove_prefix(1);
  for (char c : v) {
    if (!absl::ascii_isdigit(c)) return std::nullopt;
  }
  EventType out;
  if (!absl::SimpleAtoi(v, &out.version)) return std::nullopt;
  out.service = std::string(parts[1]);
  out.event = std::string(parts[2]);
  return out;
}

std::string EventTypeName(absl::string_view service, absl::string_view event, int version) {
  return absl::StrCat("revisit.", service, ".", event, ".v", version);
}

std::string EventTopic(absl::string_view service) {
  return absl::StrCat("revisit.", service, ".v1");
}

std::string DeadLetterTopic(absl::string_view service) {
  return absl::StrCat("revisit.", service, ".dlq.v1");
}

}  // namespace revisit
