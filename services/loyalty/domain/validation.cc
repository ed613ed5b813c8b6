#include "services/loyalty/domain/validation.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/keys.h"
#include "common/proto_time.h"
#include "common/status_macros.h"

namespace revisit::loyalty {

absl::Status UnknownCustomer(const std::string& field, const std::string& customer_id) {
  return absl::NotFoundError(absl::StrCat(
      field, ": no loyalty account for ", customer_id,
      "; loyalty learns customers from revisit.order.v1 customer_registered (a customer "
      "registered a moment ago may not be projected yet: retry)"));
}

absl::Status ValidateOrderId(const std::string& field, const std::string& order_id,
                             const std::string& customer_id) {
  if (order_id.empty()) return absl::InvalidArgumentError(field + ": required");
  auto order_shard = ShardOfEntityId(order_id, "ord", field);
  if (!order_shard.ok() ||
      !std::all_of(order_id.begin() + 7, order_id.end(),
                   [](unsigned char c) { return absl::ascii_isxdigit(c); })) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": ", Excerpt(order_id),
        " is not an order ID issued by the order service (ord-<shard>-<16 hex>)"));
  }
  auto customer_shard = ShardOfEntityId(customer_id, "cus", "customer_id");
  if (customer_shard.ok() && *customer_shard != *order_shard) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", Excerpt(order_id),
                                                   " is not an order of customer ", customer_id,
                                                   " (order IDs carry their customer's shard)"));
  }
  return absl::OkStatus();
}

absl::Status ValidateOrderAmount(const std::string& field, const revisit::common::v1::Money& amount,
                                 const std::string& currency) {
  if (auto st = ValidateAmount(field + ".amount_minor", amount.amount_minor()); !st.ok()) return st;
  if (amount.amount_minor() > 0 && amount.currency() != currency) {
    return absl::InvalidArgumentError(absl::StrCat(field, ".currency: must be ", currency,
                                                   amount.currency().empty() ? " (unset)" : ""));
  }
  return absl::OkStatus();
}

absl::Status ValidateReserveBenefits(const v1::ReserveBenefitsRequest& req, absl::Time now,
                                     const std::string& currency) {
  RETURN_IF_ERROR(ValidateRequestId(req.request_id()));
  RETURN_IF_ERROR(ValidateId("customer_id", req.customer_id()));
  RETURN_IF_ERROR(ValidateOrderId("reservation_id", req.reservation_id(), req.customer_id()));
  if (req.voucher_ids_size() > 10) return absl::InvalidArgumentError("voucher_ids: at most 10");
  for (int i = 0; i < req.voucher_ids_size(); ++i) {
    RETURN_IF_ERROR(ValidateId(absl::StrCat("voucher_ids[", i, "]"), req.voucher_ids(i)));
  }
  if (req.points() < 0 || req.points() > 1000000000) {
    return absl::InvalidArgumentError("points: must be 0..1,000,000,000");
  }
  if (req.lines_size() < 1 || req.lines_size() > 100) {
    return absl::InvalidArgumentError("lines: 1..100 lines");
  }
  int64_t sum = 0;
  for (int i = 0; i < req.lines_size(); ++i) {
    const std::string field = absl::StrCat("lines[", i, "]");
    if (req.lines(i).category().size() > 64) {
      return absl::InvalidArgumentError(field + ".category: at most 64 bytes");
    }
    RETURN_IF_ERROR(ValidateOrderAmount(field + ".amount", req.lines(i).amount(), currency));
    sum += req.lines(i).amount().amount_minor();  // 100 x 10^15 fits in int64
  }
  RETURN_IF_ERROR(ValidateOrderAmount("payable", req.payable(), currency));
  if (req.payable().amount_minor() > sum) {
    return absl::InvalidArgumentError("payable: must not exceed the sum of the lines");
  }
  if (!req.has_hold_until()) return absl::InvalidArgumentError("hold_until: required");
  const absl::Time until = FromProto(req.hold_until());
  if (until <= now || until > now + absl::Hours(24)) {
    return absl::InvalidArgumentError("hold_until: must be after now and at most 1 day ahead");
  }
  return absl::OkStatus();
}

absl::StatusOr<LedgerPage> ParseLedgerPage(const revisit::common::v1::PageRequest& page) {
  LedgerPage out;
  if (page.page_size() < 0 || page.page_size() > 200) {
    return absl::InvalidArgumentError("page.page_size: 0..200 (0 = 50)");
  }
  if (page.page_size() > 0) out.size = page.page_size();
  if (!page.page_token().empty() &&
      (!absl::SimpleAtoi(page.page_token(), &out.before_seq) || out.before_seq <= 0)) {
    return absl::InvalidArgumentError("page.page_token: not a token this service issued");
  }
  return out;
}

}  // namespace revisit::loyalty
