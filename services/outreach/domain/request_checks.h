// Request validation of the outreach RPCs: pure checks, no I/O.
//
// Every failure names the field and the rule: INVALID_ARGUMENT for malformed input,
// NOT_FOUND for a well-formed ID that outreach does not know.
//
// How outreach knows a customer: it keeps its own projection, one record per
// customer (outreach:{outreach:NN}:customer:<customer_id>, store.CustomerState),
// written when it applies the first event about the customer — normally
// revisit.order.v1 customer_registered, the first event on the customer's partition.
// A customer the order service registered a moment ago may not have a record yet
// (consumer lag): ListTouches, ScheduleTouch and SetConsent answer NOT_FOUND
// (UnknownCustomer) and write nothing; the caller retries.
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_OUTREACH_DOMAIN_REQUEST_CHECKS_H_
#define REVISIT_SERVICES_OUTREACH_DOMAIN_REQUEST_CHECKS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/ids.h"
#include "common/proto_time.h"
#include "common/text.h"
#include "google/protobuf/timestamp.pb.h"
#include "revisit/common/v1/types.pb.h"

namespace revisit::outreach {

// NOT_FOUND for a customer outreach has no record of, naming `field` and where
// outreach learns customers from.
absl::Status UnknownCustomer(const std::string& field, const std::string& customer_id);

// A touch ID in a request: required (INVALID_ARGUMENT). Whether it names a touch is
// the store's answer (NOT_FOUND, also for an ID of another shape).
absl::Status ValidateTouchId(const std::string& field, const std::string& value);

// A page of touches: size 0..200 (0 = 50) and an offset token this API issued.
struct TouchesPage {
  int size = 50;
  int offset = 0;
};
absl::StatusOr<TouchesPage> ParseTouchesPage(const revisit::common::v1::PageRequest& page);

// A channel in a request: a known enum value; `required` refuses UNSPECIFIED.
absl::Status ValidateChannel(const std::string& field, revisit::common::v1::Channel channel,
                             bool required);

// The delay between AnnounceProduct's tier waves (R4): 0..30 days in seconds (three
// waves after platinum stay within a quarter, and the due times cannot overflow).
inline constexpr int64_t kMaxWaveIntervalSeconds = 30 * 24 * 3600;
absl::Status ValidateWaveInterval(const std::string& field, int64_t seconds);

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_DOMAIN_REQUEST_CHECKS_H_
