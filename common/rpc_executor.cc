#include "common/rpc_executor.h"

#include <algorithm>
#include <utility>

namespace revisit {

int DefaultRpcWorkers(int configured) {
  if (configured > 0) return configured;
  // Handlers mostly wait on Redis (8 pooled connections per node by default): fewer
  // workers than connections left Redis idle under load (docs/performance.md).
  return std::max(8, 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

RpcExecutor::RpcExecutor(RpcExecutorOptions options)
    : capacity_(std::max(0, options.queue_capacity)) {
  int n = std::max(1, options.workers);
  threads_.reserve(n);
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Work(); });
}

RpcExecutor::~RpcExecutor() { Shutdown(); }

bool RpcExecutor::TrySubmit(std::function<void()> task) {
  absl::MutexLock lock(&mu_);
  if (stopping_ || static_cast<int>(queue_.size()) >= capacity_) return false;
  queue_.push_back(std::move(task));
  return true;
}

int RpcExecutor::queued() const {
  absl::MutexLock lock(&mu_);
  return static_cast<int>(queue_.size());
}

void RpcExecutor::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (joined_) return;
  joined_ = true;
  for (std::thread& t : threads_) t.join();
}

void RpcExecutor::Work() {
  auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return !queue_.empty() || stopping_; };
  for (;;) {
    std::function<void()> task;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(&has_work));
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace revisit
