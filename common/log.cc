#include "common/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace revisit {
namespace {

thread_local std::string current_trace;
// Extra `,"k":v` text for the line being logged on this thread (set by Log()).
thread_local const std::string* pending_fields = nullptr;

// Renders spdlog messages as one JSON object per line.
class JsonFormatter : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string service) : service_(LogField::Quote(service)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line = absl::StrCat(
        "{\"ts\":\"",
        absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromChrono(msg.time), absl::UTCTimeZone()),
        "\",\"level\":\"", LevelName(msg.level), "\",\"service\":", service_,
        ",\"trace_id\":", LogField::Quote(current_trace), ",\"msg\":",
        LogField::Quote(std::string_view(msg.payload.data(), msg.payload.size())));
    if (pending_fields != nullptr) line += *pending_fields;
    line += "}\n";
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>(*this);
  }

 private:
  static const char* LevelName(spdlog::level::level_enum l) {
    switch (l) {
      case spdlog::level::trace: return "trace";
      case spdlog::level::debug: return "debug";
      case spdlog::level::info: return "info";
      case spdlog::level::warn: return "warn";
      case spdlog::level::err: return "error";
      case spdlog::level::critical: return "critical";
      default: return "off";
    }
  }

  std::string service_;  // already quoted
};

std::string RandomHex(int digits) {
  thread_local absl::BitGen gen;
  static const char kHex[] = "0123456789abcdef";
  for (;;) {
    std::string out(static_cast<size_t>(digits), '0');
    bool nonzero = false;
    for (char& c : out) {
      int v = absl::Uniform(gen, 0, 16);
      nonzero |= v != 0;
      c = kHex[v];
    }
    if (nonzero) return out;
  }
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return s.find_first_not_of('0') != std::string_view::npos;  // all-zero is invalid
}

}  // namespace

LogField::LogField(std::string_view key, double v) : key_(key) {
  if (!std::isfinite(v)) {
    json_ = Quote(std::to_string(v));  // JSON has no NaN/Inf
  } else {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.17g", v);
    json_ = buf;
  }
}

void LogField::AppendTo(std::string* out) const {
  absl::StrAppend(out, ",", Quote(key_), ":", json_);
}

std::string LogField::Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

absl::Status InitLogging(const std::string& service_name, const std::string& level,
                         spdlog::sink_ptr sink) {
  if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>(service_name, std::move(sink));
  logger->set_formatter(std::make_unique<JsonFormatter>(service_name));
  absl::Status status;
  spdlog::level::level_enum lvl = spdlog::level::from_str(level);
  if (lvl == spdlog::level::off && level != "off") {
    status = absl::InvalidArgumentError("unknown log level '" + level +
                                        "' (trace, debug, info, warn, error, critical, off)");
    lvl = spdlog::level::info;
  }
  logger->set_level(lvl);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
  return status;
}

void Log(spdlog::level::level_enum level, std::string_view msg, LogFields fields) {
  auto* logger = spdlog::default_logger_raw();
  if (!logger->should_log(level)) return;
  std::string extra;
  for (const LogField& f : fields) f.AppendTo(&extra);
  pending_fields = &extra;
  logger->log(level, "{}", msg);
  pending_fields = nullptr;
}

std::string NewTraceId() { return RandomHex(32); }
std::string NewSpanId() { return RandomHex(16); }

const std::string& CurrentTraceId() { return current_trace; }
void SetCurrentTraceId(std::string trace_id) { current_trace = std::move(trace_id); }

ScopedTraceId::ScopedTraceId(std::string trace_id) : previous_(std::move(current_trace)) {
  current_trace = std::move(trace_id);
}
ScopedTraceId::~ScopedTraceId() { current_trace = std::move(previous_); }

std::string FormatTraceparent(const std::string& trace_id, const std::string& span_id) {
  return absl::StrCat("00-", trace_id, "-", span_id.empty() ? NewSpanId() : span_id, "-01");
}

std::optional<std::string> ParseTraceparent(std::string_view h) {
  // 00-<32 hex>-<16 hex>-<2 hex>
  if (h.size() != 55 || h.substr(0, 3) != "00-" || h[35] != '-' || h[52] != '-') {
    return std::nullopt;
  }
  std::string_view trace = h.substr(3, 32), span = h.substr(36, 16), flags = h.substr(53, 2);
  if (!IsLowerHex(trace) || !IsLowerHex(span)) return std::nullopt;
  if (flags.find_first_not_of("0123456789abcdef") != std::string_view::npos) return std::nullopt;
  return std::string(trace);
}

std::optional<std::string> TraceIdFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  auto it = metadata.find(kTraceparentKey);
  if (it == metadata.end()) return std::nullopt;
  return ParseTraceparent(std::string_view(it->second.data(), it->second.size()));
}

std::string AttachTrace(grpc::ClientContext* context) {
  std::string trace = CurrentTraceId().empty() ? NewTraceId() : CurrentTraceId();
  context->AddMetadata(kTraceparentKey, FormatTraceparent(trace));
  return trace;
}

}  // namespace revisit
