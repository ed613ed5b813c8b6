#include "services/outreach/domain/touch_ids.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/keys.h"

namespace revisit::outreach {

uint64_t Fnv1a64(absl::string_view data) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string TouchId(absl::string_view customer_id, revisit::outreach::v1::Trigger trigger,
                    absl::string_view source_id) {
  // Unit separators keep ("a","b|c") and ("a|b","c") apart.
  const uint64_t h =
      Fnv1a64(absl::StrCat(customer_id, "\x1f", static_cast<int>(trigger), "\x1f", source_id));
  return absl::StrFormat("tch-%02x-%016x", ShardOf(customer_id), h);
}

namespace {
constexpr absl::string_view kResolutionMark = "/r";
constexpr absl::string_view kReminderMark = "/reminder";
}  // namespace

std::string FollowUpSource(absl::string_view complaint_id, int resolution, bool reminder) {
  std::string out = resolution <= 1 ? std::string(complaint_id) : absl::StrCat(complaint_id, kResolutionMark, resolution);
  if (reminder) absl::StrAppend(&out, kReminderMark);
  return out;
}

FollowUpOf ParseFollowUpSource(absl::string_view source_id) {
  FollowUpOf out;
  out.reminder = absl::ConsumeSuffix(&source_id, kReminderMark);
  out.complaint_id = std::string(source_id);
  const size_t at = source_id.rfind(kResolutionMark);
  int n = 0;
  if (at != absl::string_view::npos &&
      absl::SimpleAtoi(source_id.substr(at + kResolutionMark.size()), &n) && n >= 2) {
    out.complaint_id = std::string(source_id.substr(0, at));
    out.resolution = n;
  }
  return out;
}

std::string OrderIdOf(const revisit::outreach::v1::Touch& touch) {
  namespace pb = revisit::outreach::v1;
  switch (touch.trigger()) {
    case pb::TRIGGER_ORDER_THANKS:
    case pb::TRIGGER_CARE_TIPS:
    case pb::TRIGGER_FEEDBACK_REQUEST:
    case pb::TRIGGER_SHIPMENT_APOLOGY:
      return touch.source_id();
    default:
      return "";
  }
}

bool InHoldout(absl::string_view customer_id, absl::string_view campaign, int permille) {
  if (permille <= 0) return false;
  // Mix the hash so that the low digits depend on every input byte.
  uint64_t h = Fnv1a64(absl::StrCat("holdout\x1f", campaign, "\x1f", customer_id));
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return static_cast<int>(h % 1000) < permille;
}

}  // namespace revisit::outreach
