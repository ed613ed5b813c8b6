#include "services/outreach/store/consent_record.h"

#include "common/outbox.h"
#include "common/proto_time.h"

namespace revisit::outreach {

void RecordConsent(TouchTxn& txn, const Consents& consents, const v1::ConsentChange* change) {
  store::CustomerState& c = txn.customer();
  *c.mutable_consents() = consents;
  c.set_consent_owned(true);
  txn.MarkCustomerDirty();
  if (change == nullptr) return;
  const std::string& id = c.customer_id();
  txn.batch().ZAdd(ConsentLogKey(txn.shard(), id),
                   static_cast<double>(absl::ToUnixMillis(FromProto(change->changed_at()))),
                   change->SerializeAsString());
  v1::ConsentChanged ev;
  ev.set_customer_id(id);
  *ev.mutable_change() = *change;
  *ev.mutable_consents() = consents;
  txn.batch().AppendEvent(OutboxStream(kService, txn.shard()),
                          MakeEvent(kService, "consent_changed", id, id, txn.now(), ev));
}

}  // namespace revisit::outreach
