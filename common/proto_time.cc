#include "common/proto_time.h"

#include "absl/strings/str_cat.h"

namespace revisit {

google::protobuf::Timestamp ToProto(absl::Time t) {
  google::protobuf::Timestamp ts;
  const int64_t s = absl::ToUnixSeconds(t);  // floor
  ts.set_seconds(s);
  ts.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(s))));
  return ts;
}

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

bool IsSet(const google::protobuf::Timestamp& ts) { return ts.seconds() != 0 || ts.nanos() != 0; }

std::optional<absl::Time> OptionalTime(const google::protobuf::Timestamp& ts) {
  if (!IsSet(ts)) return std::nullopt;
  return FromProto(ts);
}

absl::Status ValidateTimestamp(absl::string_view field, const google::protobuf::Timestamp& ts) {
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".nanos: must be 0..999999999, got ", ts.nanos()));
  }
  if (ts.seconds() < kMinTimestampSeconds || ts.seconds() > kMaxTimestampSeconds) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".seconds: must be within 0001-01-01..9999-12-31, got ", ts.seconds()));
  }
  return absl::OkStatus();
}

absl::StatusOr<absl::Time> TimeOf(absl::string_view field, const google::protobuf::Timestamp& ts) {
  absl::Status st = ValidateTimestamp(field, ts);
  if (!st.ok()) return st;
  return FromProto(ts);
}

}  // namespace revisit
