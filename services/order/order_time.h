// Timestamp conversions between protobuf and absl. Thread-safety: pure.
#ifndef REVISIT_SERVICES_ORDER_ORDER_TIME_H_
#define REVISIT_SERVICES_ORDER_ORDER_TIME_H_

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>

#include "absl/time/time.h"

namespace revisit::order {

inline google::protobuf::Timestamp Ts(absl::Time t) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(absl::ToUnixNanos(t));
}

inline absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixNanos(google::protobuf::util::TimeUtil::TimestampToNanoseconds(ts));
}

}  // namespace revisit::order

#endif  // REVISIT_SERVICES_ORDER_ORDER_TIME_H_
