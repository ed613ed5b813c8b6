#include "common/recorded_answer.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "common/entity.h"

namespace revisit {
namespace {

constexpr absl::string_view kMagic("\0rq1", 4);
constexpr size_t kHexDigits = 16;
constexpr char kReused[] =
    "request_id: already used for a different request; a repeat must send the same request, "
    "a new request needs a new request_id";

}  // namespace

uint64_t RequestFingerprint(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream out(&bytes);
    google::protobuf::io::CodedOutputStream coded(&out);
    coded.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&coded);
  }
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string RecordAnswer(const google::protobuf::Message& request,
                         const google::protobuf::Message& response) {
  return absl::StrCat(kMagic, absl::StrFormat("%016x", RequestFingerprint(request)),
                      response.SerializeAsString());
}

absl::Status ReadAnswer(const std::string& key, const std::string& recorded,
                        const google::protobuf::Message& request,
                        google::protobuf::Message* response) {
  absl::string_view v(recorded);
  if (v.substr(0, kMagic.size()) != kMagic) return ParseStored(key, recorded, response);
  uint64_t fingerprint = 0;
  if (v.size() < kMagic.size() + kHexDigits ||
      !absl::SimpleHexAtoi(v.substr(kMagic.size(), kHexDigits), &fingerprint)) {
    return absl::DataLossError("idempotency record at " + key + " is malformed");
  }
  if (fingerprint != RequestFingerprint(request)) {
    return absl::FailedPreconditionError(kReused);
  }
  return ParseStored(key, std::string(v.substr(kMagic.size() + kHexDigits)), response);
}

bool IsReusedRequestId(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition && status.message() == kReused;
}

}  // namespace revisit
