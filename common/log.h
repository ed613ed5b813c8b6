// JSON structured logging and trace-ID propagation.
//
// InitLogging installs a synchronous spdlog default logger whose every line is one
// JSON object on stderr:
//   {"ts":"2026-01-01T00:00:00.123Z","level":"info","service":"order",
//    "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","msg":"order shipped","order_id":"o-1"}
// Plain spdlog::info(...) calls anywhere in the process get the same shape (without
// extra fields); LogInfo/LogWarn/... add key/values. `trace_id` is the calling
// thread's current trace ("" when none): set it with ScopedTraceId while handling an
// RPC (ServiceHost does this for every incoming call) or a Kafka message.
//
// Trace IDs are W3C trace-context compatible (32 lowercase hex, not all zero) and
// travel in gRPC metadata / Kafka headers as `traceparent: 00-<trace>-<span>-01`.
// Thread-safety: everything is thread-safe; the current trace is per thread.
// Errors: InitLogging reports an unknown level as INVALID_ARGUMENT (and uses info).
#ifndef REVISIT_COMMON_LOG_H_
#define REVISIT_COMMON_LOG_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/string_ref.h>
#include <spdlog/common.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace revisit {

// Installs the JSON logger as spdlog's default. `level` is one of trace, debug,
// info, warn, error, critical, off. `sink` replaces stderr (tests). Call once from
// main() before starting threads; calling again replaces the logger.
absl::Status InitLogging(const std::string& service_name, const std::string& level,
                         spdlog::sink_ptr sink = nullptr);

// One extra key/value on a log line; the value keeps its JSON type.
class LogField {
 public:
  LogField(std::string_view key, std::string_view v) : key_(key), json_(Quote(v)) {}
  LogField(std::string_view key, const char* v) : LogField(key, std::string_view(v)) {}
  LogField(std::string_view key, const std::string& v) : LogField(key, std::string_view(v)) {}
#ifndef ABSL_USES_STD_STRING_VIEW  // Debian's abseil has its own string_view
  LogField(std::string_view key, absl::string_view v)
      : LogField(key, std::string_view(v.data(), v.size())) {}
#endif
  LogField(std::string_view key, bool v) : key_(key), json_(v ? "true" : "false") {}
  LogField(std::string_view key, int v) : LogField(key, static_cast<int64_t>(v)) {}
  LogField(std::string_view key, int64_t v) : key_(key), json_(std::to_string(v)) {}
  LogField(std::string_view key, uint64_t v) : key_(key), json_(std::to_string(v)) {}
  LogField(std::string_view key, double v);
  // Appends `,"key":value` to `out`.
  void AppendTo(std::string* out) const;
  // `s` as a quoted, escaped JSON string.
  static std::string Quote(std::string_view s);

 private:
  std::string_view key_;
  std::string json_;
};
using LogFields = std::initializer_list<LogField>;

// Logs `msg` with extra fields at the given level through the default logger.
void Log(spdlog::level::level_enum level, std::string_view msg, LogFields fields = {});
inline void LogDebug(std::string_view msg, LogFields f = {}) { Log(spdlog::level::debug, msg, f); }
inline void LogInfo(std::string_view msg, LogFields f = {}) { Log(spdlog::level::info, msg, f); }
inline void LogWarn(std::string_view msg, LogFields f = {}) { Log(spdlog::level::warn, msg, f); }
inline void LogError(std::string_view msg, LogFields f = {}) { Log(spdlog::level::err, msg, f); }

// A fresh random trace ID: 32 lowercase hex digits, never all zero.
std::string NewTraceId();
// A fresh random span ID: 16 lowercase hex digits, never all zero.
std::string NewSpanId();

// The calling thread's current trace ID, "" when none is set.
const std::string& CurrentTraceId();
// Replaces the calling thread's current trace ID ("" clears it).
void SetCurrentTraceId(std::string trace_id);

// Sets the calling thread's current trace for its lifetime, restoring the previous
// one on destruction. Not movable; create and destroy on the same thread.
class ScopedTraceId {
 public:
  explicit ScopedTraceId(std::string trace_id);
  ~ScopedTraceId();
  ScopedTraceId(const ScopedTraceId&) = delete;
  ScopedTraceId& operator=(const ScopedTraceId&) = delete;

 private:
  std::string previous_;
};

// gRPC metadata key (and Kafka header name) carrying the trace.
inline constexpr char kTraceparentKey[] = "traceparent";

// `00-<trace_id>-<span_id>-01`; a fresh span ID is made when `span_id` is empty.
std::string FormatTraceparent(const std::string& trace_id, const std::string& span_id = "");
// The trace ID of a valid W3C traceparent (version 00), else nullopt.
std::optional<std::string> ParseTraceparent(std::string_view header);
// The trace ID from incoming gRPC metadata (ServerContext::client_metadata() or an
// interceptor's received metadata), else nullopt.
std::optional<std::string> TraceIdFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata);
// Adds `traceparent` for the current trace to an outgoing call; when the thread has
// no current trace a new one is used. Returns the trace ID sent.
std::string AttachTrace(grpc::ClientContext* context);

}  // namespace revisit

#endif  // REVISIT_COMMON_LOG_H_
