// Request validation for the order service: every field of every RPC, with an
// INVALID_ARGUMENT message naming the field and the rule ("lines[2].quantity: must
// be 1..10000"). Pure; state-dependent checks (refundable balance, current state)
// live in money.h and state.h.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_ORDER_DOMAIN_VALIDATION_H_
#define REVISIT_SERVICES_ORDER_DOMAIN_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/text.h"
#include "revisit/order/v1/order.pb.h"

namespace revisit::order {

absl::Status ValidateCustomer(const v1::Customer& c);
absl::Status ValidateAddress(const std::string& field, const v1::Address& a);
absl::Status ValidateLines(const std::string& field,
                           const google::protobuf::RepeatedPtrField<v1::OrderLine>& lines);
absl::Status ValidateCreateOrder(const v1::CreateOrderRequest& req);
absl::Status ValidatePromise(const v1::Promise& p);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_DOMAIN_VALIDATION_H_
