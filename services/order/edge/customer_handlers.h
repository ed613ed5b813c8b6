// CustomerHandlers: the customer archive (O2: CreateCustomer, UpdateCustomer,
// GetCustomer; the referrer must exist, L6; consent after registration is outreach's,
// R6), a customer's orders (ListOrders) and promises (RecordPromise, recorded once
// and never rewritten, O8; ListPromises, O5). Mutations run under their request_id
// and commit the entity and its event (outbox) in one WriteBatch.
// Thread-safety: thread-safe.
// Errors: INVALID_ARGUMENT naming the field and the rule (domain/validation.h,
// update masks, page sizes 0..200 and tokens), NOT_FOUND for an unknown customer or
// order.
#ifndef REVISIT_SERVICES_ORDER_EDGE_CUSTOMER_HANDLERS_H_
#define REVISIT_SERVICES_ORDER_EDGE_CUSTOMER_HANDLERS_H_

#include "absl/status/status.h"
#include "common/clock.h"
#include "revisit/order/v1/order.pb.h"
#include "services/order/order_config.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

class CustomerHandlers {
 public:
  // Not owned; all must outlive this.
  CustomerHandlers(const OrderConfig& config, OrderStore& store, const Clock& clock);

  absl::Status CreateCustomer(const v1::CreateCustomerRequest& req, v1::CreateCustomerResponse* resp);
  absl::Status UpdateCustomer(const v1::UpdateCustomerRequest& req, v1::UpdateCustomerResponse* resp);
  absl::Status GetCustomer(const v1::GetCustomerRequest& req, v1::GetCustomerResponse* resp);
  absl::Status ListOrders(const v1::ListOrdersRequest& req, v1::ListOrdersResponse* resp);
  absl::Status RecordPromise(const v1::RecordPromiseRequest& req, v1::RecordPromiseResponse* resp);
  absl::Status ListPromises(const v1::ListPromisesRequest& req, v1::ListPromisesResponse* resp);

 private:
  const OrderConfig& config_;
  OrderStore& store_;
  const Clock& clock_;
};

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_EDGE_CUSTOMER_HANDLERS_H_
