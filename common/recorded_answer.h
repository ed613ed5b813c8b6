// What an idempotency record holds: the first answer to a request_id and a
// fingerprint of the request it answered, so a request_id reused with a different
// request is refused instead of silently answered with another request's result
// (as payment APIs do).
//
// Stored value: "\0rq1" + 16 hex digits (FNV-1a 64 of the request's deterministic
// serialization) + the serialized response. A serialized protobuf never starts
// with a 0 byte (field number 0 does not exist), so a value recorded before
// fingerprints existed (the bare response) is still read, without the check.
// Thread-safety: pure functions.
// Errors: FAILED_PRECONDITION naming request_id when the fingerprint differs;
// DATA_LOSS naming the key when the stored response does not parse.
#ifndef REVISIT_COMMON_RECORDED_ANSWER_H_
#define REVISIT_COMMON_RECORDED_ANSWER_H_

#include <cstdint>
#include <string>

#include <google/protobuf/message.h>

#include "absl/status/status.h"

namespace revisit {

// FNV-1a 64 of `request` serialized deterministically (map order fixed).
uint64_t RequestFingerprint(const google::protobuf::Message& request);

// The value to record for `request` answered by `response`.
std::string RecordAnswer(const google::protobuf::Message& request,
                         const google::protobuf::Message& response);

// Parses the value recorded at `key` into `response` after checking that it was
// recorded for `request`.
absl::Status ReadAnswer(const std::string& key, const std::string& recorded,
                        const google::protobuf::Message& request,
                        google::protobuf::Message* response);

// True for ReadAnswer's refusal of a reused request_id.
bool IsReusedRequestId(const absl::Status& status);

}  // namespace revisit

#endif  // REVISIT_COMMON_RECORDED_ANSWER_H_
