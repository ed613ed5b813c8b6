// Conversions between absl::Time and google.protobuf.Timestamp.
// An unset Timestamp (0 s, 0 ns) is treated as "absent".
// Thread-safety: pure functions.
#ifndef REVISIT_SERVICES_COMPLAINT_PROTO_TIME_H_
#define REVISIT_SERVICES_COMPLAINT_PROTO_TIME_H_

#include <google/protobuf/timestamp.pb.h>

#include <optional>

#include "absl/time/time.h"

namespace revisit::complaint {

inline google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t ns = absl::ToUnixNanos(t);
  int64_t s = ns / 1000000000;
  int64_t rem = ns % 1000000000;
  if (rem < 0) {
    rem += 1000000000;
    --s;
  }
  ts.set_seconds(s);
  ts.set_nanos(static_cast<int32_t>(rem));
  return ts;
}

inline absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

inline bool IsSet(const google::protobuf::Timestamp& ts) {
  return ts.seconds() != 0 || ts.nanos() != 0;
}

inline std::optional<absl::Time> OptionalTime(const google::protobuf::Timestamp& ts) {
  if (!IsSet(ts)) return std::nullopt;
  return FromProto(ts);
}

}  // namespace revisit::complaint

#endif  // REVISIT_SERVICES_COMPLAINT_PROTO_TIME_H_
