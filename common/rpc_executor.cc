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
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || static_cast<int>(queue_.size()) >= capacity_) return false;
    queue_.push_back(std::move(task));
  }
  work_.notify_one();
  return true;
}

int RpcExecutor::queued() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(queue_.size());
}

void RpcExecutor::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  if (joined_) return;
  joined_ = true;
  for (std::thread& t : threads_) t.join();
}

void RpcExecutor::Work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping and drained
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

}  // namespace revisit
