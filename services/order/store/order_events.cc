#include "services/order/store/order_events.h"

#include "common/outbox.h"
#include "services/order/store/order_store.h"

namespace revisit::order {

void Emit(WriteBatch& batch, int shard, const std::string& customer_id, const std::string& subject,
          absl::Time now, const std::string& name,
          const google::protobuf::Message& payload) {
  batch.AppendEvent(OutboxStream(kService, shard),
                    MakeEvent(kService, name, customer_id, subject, now, payload));
}

}  // namespace revisit::order
