// Builds the order service's events (proto/revisit/order/v1/events.proto) and
// appends them to the outbox in the same WriteBatch as the state change.
// Events are PII-free: OrderFacts carries no address, name or phone.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_ORDER_STORE_ORDER_EVENTS_H_
#define REVISIT_SERVICES_ORDER_STORE_ORDER_EVENTS_H_

#include <string>

#include <google/protobuf/message.h>

#include "absl/time/time.h"
#include "common/write_batch.h"
#include "revisit/order/v1/events.pb.h"
#include "services/order/domain/facts.h"

namespace revisit::order {

// The PII-free view of `order`.
// Appends event `name` ("shipped") about aggregate `subject` to the outbox of
// `shard`; the commit numbers it with the subject's counter (common/outbox.h).
void Emit(WriteBatch& batch, int shard, const std::string& customer_id, const std::string& subject,
          absl::Time now, const std::string& name,
          const google::protobuf::Message& payload);

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_STORE_ORDER_EVENTS_H_
