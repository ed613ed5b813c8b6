// Conversions between absl::Time and google.protobuf.Timestamp, and the one rule
// for timestamps in requests: 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z
// (the Timestamp type's own range) with nanos 0..999,999,999.
//
// An unset Timestamp (0 s, 0 ns) means "absent" (IsSet, OptionalTime). ToProto and
// FromProto are exact for every time in range (seconds and nanos, never a 64-bit
// nanosecond count, which ends in 2262).
// Thread-safety: pure functions.
#ifndef REVISIT_COMMON_PROTO_TIME_H_
#define REVISIT_COMMON_PROTO_TIME_H_

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace revisit {

inline constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z

google::protobuf::Timestamp ToProto(absl::Time t);
absl::Time FromProto(const google::protobuf::Timestamp& ts);
bool IsSet(const google::protobuf::Timestamp& ts);
// nullopt for an unset Timestamp.
std::optional<absl::Time> OptionalTime(const google::protobuf::Timestamp& ts);

// INVALID_ARGUMENT "<field>.nanos: ..." or "<field>.seconds: must be within
// 0001-01-01..9999-12-31" unless `ts` is in range.
absl::Status ValidateTimestamp(absl::string_view field, const google::protobuf::Timestamp& ts);

// ValidateTimestamp, then FromProto.
absl::StatusOr<absl::Time> TimeOf(absl::string_view field, const google::protobuf::Timestamp& ts);

}  // namespace revisit

#endif  // REVISIT_COMMON_PROTO_TIME_H_
