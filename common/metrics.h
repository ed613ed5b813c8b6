// Prometheus metrics: a process-wide registry of counters, gauges and histograms,
// rendered in the Prometheus text exposition format 0.0.4, plus a tiny HTTP server
// for GET /metrics and GET /healthz.
//
// Debian ships no prometheus-cpp, so this is a small hand-written registry with the
// same model: a *family* (name, help, label names) holds one *series* per distinct
// label-value tuple. Look a series up once (WithLabels) and keep the reference: the
// reference stays valid for the registry's lifetime and updating it is a few atomic
// operations, no lock. Callback gauges (consumer lag, outbox backlog, timers pending)
// are evaluated at scrape time.
//
//   static Counter& sent = Metrics().CounterFamily("revisit_touches_sent_total",
//       "Touches sent.", {"channel"}).WithLabels({"sms"});
//   sent.Inc();
//
// Errors: metric and label names are fixed strings chosen by programmers, so an
// invalid name, re-registering a name with another type/label set/buckets, or a
// WithLabels call with the wrong number of values is a programming error: the
// process logs the problem to stderr and aborts (like a failed CHECK).
// Thread-safety: everything here is thread-safe.
#ifndef REVISIT_COMMON_METRICS_H_
#define REVISIT_COMMON_METRICS_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace revisit {

// A monotonically increasing value (requests served, events published).
class Counter {
 public:
  // Adds `v`, which must be >= 0 (negative values are ignored).
  void Inc(double v = 1);
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down (in-flight requests, queue depth).
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Inc(double v = 1);
  void Dec(double v = 1) { Inc(-v); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into buckets with fixed upper bounds (latencies, sizes).
class Histogram {
 public:
  // `bounds` must be strictly increasing and finite; +Inf is implicit.
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
  };
  // A consistent-enough copy for rendering (each field read atomically).
  Snapshot Read() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 slots
  std::atomic<double> sum_{0};
};

// Default latency buckets in seconds: 1 ms .. 10 s.
const std::vector<double>& DefaultLatencyBuckets();

enum class MetricType { kCounter, kGauge, kHistogram };

// Unregisters a callback gauge series when destroyed. Move-only. After the
// destructor returns the callback is not running and will never run again.
class CallbackHandle {
 public:
  CallbackHandle() = default;
  explicit CallbackHandle(std::function<void()> remove) : remove_(std::move(remove)) {}
  CallbackHandle(CallbackHandle&& other) noexcept : remove_(std::move(other.remove_)) {
    other.remove_ = nullptr;
  }
  CallbackHandle& operator=(CallbackHandle&& other) noexcept;
  CallbackHandle(const CallbackHandle&) = delete;
  CallbackHandle& operator=(const CallbackHandle&) = delete;
  ~CallbackHandle() { Reset(); }
  // Unregisters now (idempotent).
  void Reset();

 private:
  std::function<void()> remove_;
};

// One named metric with its label names and every series created so far.
// Series are created on first WithLabels and never removed.
class MetricFamily {
 public:
  MetricFamily(std::string name, std::string help, MetricType type,
               std::vector<std::string> label_names, std::vector<double> buckets);
  ~MetricFamily();

  // The series for `values` (one per label name, same order). Abort if the
  // count is wrong or the family is of another type.
  Counter& CounterWithLabels(const std::vector<std::string>& values);
  Gauge& GaugeWithLabels(const std::vector<std::string>& values);
  Histogram& HistogramWithLabels(const std::vector<std::string>& values);
  // Gauge families only: a series whose value is `fn()` at each scrape. `fn` runs
  // under this family's lock, so it must be quick and must not use the registry.
  [[nodiscard]] CallbackHandle AddCallback(const std::vector<std::string>& values,
                                           std::function<double()> fn);

  // Appends this family in text format 0.0.4 to `out`.
  void Render(std::string* out) const;

  const std::string& name() const { return name_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& buckets() const { return buckets_; }

 private:
  struct Series;
  Series& Get(const std::vector<std::string>& values) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void CheckArity(const std::vector<std::string>& values) const;

  const std::string name_;
  const std::string help_;
  const MetricType type_;
  const std::vector<std::string> label_names_;
  const std::vector<double> buckets_;
  mutable absl::Mutex mu_;
  std::map<std::vector<std::string>, std::unique_ptr<Series>> series_ ABSL_GUARDED_BY(mu_);
  std::map<uint64_t, std::pair<std::vector<std::string>, std::function<double()>>> callbacks_
      ABSL_GUARDED_BY(mu_);
  uint64_t next_callback_id_ ABSL_GUARDED_BY(mu_) = 0;
};

// Typed views over a MetricFamily, returned by the registry.
template <typename T>
class TypedFamily {
 public:
  explicit TypedFamily(MetricFamily* f) : f_(f) {}
  T& WithLabels(const std::vector<std::string>& values = {}) const;
  MetricFamily& family() const { return *f_; }

 private:
  MetricFamily* f_;
};
template <>
inline Counter& TypedFamily<Counter>::WithLabels(const std::vector<std::string>& v) const {
  return f_->CounterWithLabels(v);
}
template <>
inline Gauge& TypedFamily<Gauge>::WithLabels(const std::vector<std::string>& v) const {
  return f_->GaugeWithLabels(v);
}
template <>
inline Histogram& TypedFamily<Histogram>::WithLabels(const std::vector<std::string>& v) const {
  return f_->HistogramWithLabels(v);
}

// A set of metric families. Families are created on first use and live as long as
// the registry; registering the same name again with identical type, label names
// and buckets returns the existing family.
class MetricsRegistry {
 public:
  TypedFamily<Counter> CounterFamily(const std::string& name, const std::string& help,
                                     const std::vector<std::string>& label_names = {});
  TypedFamily<Gauge> GaugeFamily(const std::string& name, const std::string& help,
                                 const std::vector<std::string>& label_names = {});
  TypedFamily<Histogram> HistogramFamily(
      const std::string& name, const std::string& help,
      const std::vector<std::string>& label_names = {},
      const std::vector<double>& buckets = DefaultLatencyBuckets());
  // Shorthand: a callback gauge series in family `name` (created if needed).
  [[nodiscard]] CallbackHandle CallbackGauge(const std::string& name, const std::string& help,
                                             const std::vector<std::string>& label_names,
                                             const std::vector<std::string>& label_values,
                                             std::function<double()> fn);

  // Every family, sorted by name, in Prometheus text format 0.0.4.
  std::string Render() const;

 private:
  MetricFamily* Family(const std::string& name, const std::string& help, MetricType type,
                       const std::vector<std::string>& label_names,
                       const std::vector<double>& buckets);

  mutable absl::Mutex mu_;
  std::map<std::string, std::unique_ptr<MetricFamily>> families_ ABSL_GUARDED_BY(mu_);
};

// The process-wide registry (never destroyed).
MetricsRegistry& Metrics();

// Content-Type of Render()'s output.
inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

// Serves GET /metrics (registry.Render()) and GET /healthz ("ok" with 200 while
// `healthy()` is true, else 503) over plain HTTP/1.1 (Connection: close). One
// connection at a time on one thread, which is what a Prometheus scrape needs.
// Hand-written on POSIX sockets: Debian's cpp-httplib is a compiled library
// (libcpp-httplib.so, built with OpenSSL/brotli) that revisit_common does not link.
// Thread-safety: Start/Stop from one thread; port() from any.
class MetricsHttpServer {
 public:
  // `registry` must outlive the server; null means Metrics().
  explicit MetricsHttpServer(MetricsRegistry* registry = nullptr,
                             std::function<bool()> healthy = nullptr);
  ~MetricsHttpServer();  // Stops.
  MetricsHttpServer(const MetricsHttpServer&) = delete;
  MetricsHttpServer& operator=(const MetricsHttpServer&) = delete;

  // Binds `bind_address:port` (port 0 = ephemeral) and starts serving.
  // UNAVAILABLE if the socket cannot be bound; FAILED_PRECONDITION if started.
  absl::Status Start(int port, const std::string& bind_address = "0.0.0.0");
  // The bound port once started, else 0.
  int port() const { return port_.load(); }
  // Stops serving and joins the thread (idempotent).
  void Stop();

 private:
  void Serve();
  void HandleConnection(int fd);

  MetricsRegistry* registry_;
  std::function<bool()> healthy_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // eventfd written by Stop()
  std::atomic<int> port_{0};
  std::thread thread_;
};

}  // namespace revisit

#endif  // REVISIT_COMMON_METRICS_H_
