// Timestamp conversions between protobuf, absl and stored milliseconds.
// Thread-safety: pure.
#ifndef REVISIT_SERVICES_OUTREACH_TIME_UTIL_H_
#define REVISIT_SERVICES_OUTREACH_TIME_UTIL_H_

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include "absl/time/time.h"

namespace revisit::outreach {

inline google::protobuf::Timestamp Ts(absl::Time t) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}
inline absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixNanos(google::protobuf::util::TimeUtil::TimestampToNanoseconds(ts));
}
inline int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }
inline absl::Time FromMs(int64_t ms) { return absl::FromUnixMillis(ms); }

}  // namespace revisit::outreach

#endif  // REVISIT_SERVICES_OUTREACH_TIME_UTIL_H_
