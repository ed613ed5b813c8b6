#include "services/outreach/domain/request_checks.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace revisit::outreach {

absl::Status UnknownCustomer(const std::string& field, const std::string& customer_id) {
  return absl::NotFoundError(absl::StrCat(
      field, ": outreach has no record of ", customer_id,
      "; outreach learns customers from revisit.order.v1 customer_registered (a customer "
      "registered a moment ago may not be projected yet: retry)"));
}

absl::Status ValidateTouchId(const std::string& field, const std::string& value) {
  if (value.empty()) return absl::InvalidArgumentError(field + ": required");
  return absl::OkStatus();
}

absl::StatusOr<TouchesPage> ParseTouchesPage(const revisit::common::v1::PageRequest& page) {
  TouchesPage out;
  if (page.page_size() < 0 || page.page_size() > 200) {
    return absl::InvalidArgumentError("page.page_size: must be 0..200 (0 = 50)");
  }
  if (page.page_size() > 0) out.size = page.page_size();
  if (!page.page_token().empty() &&
      (!absl::SimpleAtoi(page.page_token(), &out.offset) || out.offset < 0)) {
    return absl::InvalidArgumentError("page.page_token: not a token from this API");
  }
  return out;
}

absl::Status ValidateChannel(const std::string& field, revisit::common::v1::Channel channel,
                             bool required) {
  if (!revisit::common::v1::Channel_IsValid(channel)) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": unknown value ", channel));
  }
  if (required && channel == revisit::common::v1::CHANNEL_UNSPECIFIED) {
    return absl::InvalidArgumentError(field + ": must be SMS, EMAIL, APP_PUSH or PHONE");
  }
  return absl::OkStatus();
}

absl::Status ValidateWaveInterval(const std::string& field, int64_t seconds) {
  if (seconds < 0 || seconds > kMaxWaveIntervalSeconds) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 0..", kMaxWaveIntervalSeconds, " (30 days), got ", seconds));
  }
  return absl::OkStatus();
}

}  // namespace revisit::outreach
