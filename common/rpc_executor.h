// RpcExecutor: the bounded pool of threads that runs gRPC handlers for ServiceHost.
//
// The services serve their RPCs with gRPC's callback API (CallbackHandlers), whose
// reactions run on gRPC's own few threads; handlers block (hiredis round trips, calls
// to peer services), so each call is handed to this executor instead: a fixed number
// of worker threads (REVISIT_GRPC_WORKERS) taking tasks from one FIFO queue of at
// most `queue_capacity` waiting tasks (REVISIT_GRPC_QUEUE). A full queue refuses the
// task (TrySubmit returns false: the caller answers RESOURCE_EXHAUSTED "server
// busy"), so a burst never grows threads or memory without bound.
// Shutdown stops accepting, lets the workers run every task already queued (each
// queued call must still be answered), then joins them.
// Thread-safety: TrySubmit, queued and Shutdown are thread-safe; Shutdown is
// idempotent and must not be called from a worker (it would join itself).
// Errors: none; refusal is TrySubmit's false.
#ifndef REVISIT_COMMON_RPC_EXECUTOR_H_
#define REVISIT_COMMON_RPC_EXECUTOR_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace revisit {

struct RpcExecutorOptions {
  int workers = 4;           // threads running handlers; at least 1
  int queue_capacity = 256;  // tasks waiting for a worker; at least 0
};

// The number of workers for `configured` (0 = twice the machine's cores, at least 8).
int DefaultRpcWorkers(int configured);

class RpcExecutor {
 public:
  explicit RpcExecutor(RpcExecutorOptions options);
  ~RpcExecutor();  // Shutdown()
  RpcExecutor(const RpcExecutor&) = delete;
  RpcExecutor& operator=(const RpcExecutor&) = delete;

  // Queues `task` for a worker; false (task dropped) when the queue holds
  // queue_capacity tasks or Shutdown has begun.
  bool TrySubmit(std::function<void()> task);
  // Tasks waiting for a worker.
  int queued() const;
  int workers() const { return static_cast<int>(threads_.size()); }
  // Refuses new tasks, runs the queued ones, joins the workers.
  void Shutdown();

 private:
  void Work();

  const int capacity_;
  std::vector<std::thread> threads_;
  // std::condition_variable: notify_one wakes exactly one idle worker per task.
  mutable std::mutex mu_;
  std::condition_variable work_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  bool joined_ = false;  // Shutdown's caller only
};

}  // namespace revisit

#endif  // REVISIT_COMMON_RPC_EXECUTOR_H_
