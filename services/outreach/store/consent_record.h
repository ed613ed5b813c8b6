// RecordConsent: stages one consent change of the customer of a TouchTxn (R6): the
// consent in force on the customer's record, the owner flag, the history entry
// (consent_log, outreach_store.h) and the consent_changed event, all in the
// transaction's one commit. The decision itself is consent.h's.
// Thread-safety: as TouchTxn (one thread, one attempt).
#ifndef REVISIT_SERVICES_OUTREACH_STORE_CONSENT_RECORD_H_
#define REVISIT_SERVICES_OUTREACH_STORE_CONSENT_RECORD_H_

#include "services/outreach/domain/consent.h"
#include "services/outreach/store/touch_txn.h"

namespace revisit::outreach {

// Sets `consents` on the record, marks outreach the owner and, when `change` is
// given, appends it to the history and emits consent_changed.
void RecordConsent(TouchTxn& txn, const Consents& consents,
                   const v1::ConsentChange* change);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_STORE_CONSENT_RECORD_H_
