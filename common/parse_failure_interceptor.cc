#include "common/parse_failure_interceptor.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>

#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace revisit {
namespace {

using grpc::experimental::InterceptionHookPoints;

// The field protobuf last complained about on this thread (see the file comment).
thread_local std::string t_invalid_utf8_field;

google::protobuf::LogHandler* g_previous_handler = nullptr;

void CapturingLogHandler(google::protobuf::LogLevel level, const char* filename, int line,
                         const std::string& message) {
  if (std::optional<std::string> field = InvalidUtf8FieldOf(message)) {
    t_invalid_utf8_field = *std::move(field);
  }
  if (g_previous_handler != nullptr) g_previous_handler(level, filename, line, message);
}

// "Service.Method" of "/pkg.Service/Method" as the descriptor pool names it.
std::string RequestTypeOf(absl::string_view method) {
  if (method.empty() || method[0] != '/') return "";
  std::string full = absl::StrReplaceAll(method.substr(1), {{"/", "."}});
  const auto* m = google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(full);
  return m == nullptr ? "" : m->input_type()->full_name();
}

class ParseFailureInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit ParseFailureInterceptor(grpc::experimental::ServerRpcInfo* info) : info_(info) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      // Taken on every call so nothing stale stays on this (parsing) thread.
      std::string field = TakeInvalidUtf8Field();
      if (m->GetRecvMessage() == nullptr) {
        failed_ = true;
        field_ = std::move(field);
      }
    }
    // The sync API answers a failed parse INTERNAL, the callback API UNIMPLEMENTED;
    // both with no message.
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) && failed_) {
      grpc::StatusCode code = m->GetSendStatus().error_code();
      if (code == grpc::StatusCode::INTERNAL || code == grpc::StatusCode::UNIMPLEMENTED) {
        m->ModifySendStatus(
            UnparsableRequestStatus(info_->method() == nullptr ? "" : info_->method(), field_));
      }
    }
    m->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  bool failed_ = false;
  std::string field_;
};

}  // namespace

std::optional<std::string> InvalidUtf8FieldOf(absl::string_view line) {
  constexpr absl::string_view kPrefix = "String field '";
  constexpr absl::string_view kSuffix = "' contains invalid UTF-8 data when parsing";
  size_t start = line.find(kPrefix);
  if (start == absl::string_view::npos) return std::nullopt;
  start += kPrefix.size();
  size_t end = line.find(kSuffix, start);
  if (end == absl::string_view::npos || end == start) return std::nullopt;
  return std::string(line.substr(start, end - start));
}

grpc::Status UnparsableRequestStatus(absl::string_view method, absl::string_view field) {
  if (!field.empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat(field, ": must be valid UTF-8"));
  }
  std::string type = RequestTypeOf(method);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      absl::StrCat("request: not a valid ", type.empty() ? "message" : type,
                                   " (malformed protobuf)"));
}

std::string TakeInvalidUtf8Field() {
  std::string field;
  field.swap(t_invalid_utf8_field);
  return field;
}

void InstallProtobufUtf8Capture() {
  static std::once_flag once;
  std::call_once(once, [] { g_previous_handler = google::protobuf::SetLogHandler(&CapturingLogHandler); });
}

grpc::experimental::Interceptor* ParseFailureInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new ParseFailureInterceptor(info);
}

}  // namespace revisit
