// Scheduler: a wall-clock task queue run by a pool of worker threads. The demo's
// customers and agents are chains of tasks: each task makes a few blocking gRPC
// calls and schedules the next step at a later wall time (domain delay / scale).
// Thread-safety: At() may be called from any thread, including from tasks.
#ifndef REVISIT_TOOLS_DEMO_SCHEDULER_H_
#define REVISIT_TOOLS_DEMO_SCHEDULER_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace revisit::demo {

class Scheduler {
 public:
  using Task = std::function<void()>;

  // Runs `task` at or after wall time `at`.
  void At(absl::Time at, Task task) {
    std::lock_guard<std::mutex> l(mu_);
    heap_.push(Item{at, seq_++, std::move(task)});
    cv_.notify_one();
  }

  // Runs tasks on `threads` workers until nothing is queued or running, or until
  // `deadline` (then the remaining tasks are dropped and counted). Blocks.
  void Run(int threads, absl::Time deadline) {
    std::vector<std::thread> pool;
    for (int i = 0; i < threads; ++i) pool.emplace_back([this, deadline] { Work(deadline); });
    for (auto& t : pool) t.join();
  }

  size_t Queued() {
    std::lock_guard<std::mutex> l(mu_);
    return heap_.size();
  }
  int64_t Dropped() const { return dropped_; }
  // Worst lateness of a task start over the last progress interval, then reset.
  absl::Duration TakeMaxLag() {
    std::lock_guard<std::mutex> l(mu_);
    absl::Duration d = max_lag_;
    max_lag_ = absl::ZeroDuration();
    return d;
  }

 private:
  struct Item {
    absl::Time at;
    uint64_t seq;
    Task task;
    bool operator>(const Item& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };

  void Work(absl::Time deadline) {
    std::unique_lock<std::mutex> l(mu_);
    for (;;) {
      absl::Time now = absl::Now();
      if (now >= deadline) {
        dropped_ += static_cast<int64_t>(heap_.size());
        while (!heap_.empty()) heap_.pop();
        cv_.notify_all();
        return;
      }
      if (heap_.empty()) {
        if (running_ == 0) {
          cv_.notify_all();
          return;
        }
        cv_.wait_for(l, std::chrono::milliseconds(200));
        continue;
      }
      if (heap_.top().at > now) {
        absl::Time wake = std::min(heap_.top().at, deadline);
        cv_.wait_for(l, absl::ToChronoNanoseconds(std::min(wake - now, absl::Milliseconds(200))));
        continue;
      }
      Item it = heap_.top();
      heap_.pop();
      max_lag_ = std::max(max_lag_, now - it.at);
      ++running_;
      l.unlock();
      it.task();
      l.lock();
      --running_;
      if (heap_.empty() && running_ == 0) cv_.notify_all();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap_;
  uint64_t seq_ = 0;
  int running_ = 0;
  int64_t dropped_ = 0;
  absl::Duration max_lag_ = absl::ZeroDuration();
};

}  // namespace revisit::demo

#endif  // REVISIT_TOOLS_DEMO_SCHEDULER_H_
