// CustomerRecord: the stored form of a customer's record (store::CustomerState).
//
// Compact: a pending reference (PendingRef) whose touch_id is the one TouchId
// derives from (customer, trigger, source) is stored without it (~27 B per pending
// touch); reading derives it again. Records written before (every touch_id set)
// read unchanged. Every read of a record goes through DecodeCustomer, every write
// through EncodeCustomer.
// Thread-safety: pure functions.
// Errors: DATA_LOSS naming the key when the bytes do not parse.
#ifndef REVISIT_SERVICES_OUTREACH_STORE_CUSTOMER_RECORD_H_
#define REVISIT_SERVICES_OUTREACH_STORE_CUSTOMER_RECORD_H_

#include <string>

#include "absl/status/status.h"
#include "services/outreach/store/outreach_state.pb.h"

namespace revisit::outreach {

// The stored bytes of `customer`; with `compact` false every touch_id is kept (the
// form versions before issue 17 read: REVISIT_OUTREACH_COMPACT_TOUCHES).
std::string EncodeCustomer(const store::CustomerState& customer, bool compact = true);

// Parses stored bytes (either form) into `customer`, every touch_id filled.
absl::Status DecodeCustomer(const std::string& key, const std::string& bytes,
                            store::CustomerState* customer);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_STORE_CUSTOMER_RECORD_H_
