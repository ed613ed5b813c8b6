// The loyalty benchmarks' workload and probe: order.completed events for made-up
// customers, and how many of them revisit-loyalty has applied (the customers' net
// spend in the shards' spend indexes). Used by bench_loyalty and bench_scaling.
// Thread-safety: free functions; the RedisClient is thread-safe.
// Errors: CompletedOrdersApplied returns -1 when the pipelined read fails.
#ifndef REVISIT_TOOLS_BENCH_LOYALTY_COMPLETED_ORDERS_H_
#define REVISIT_TOOLS_BENCH_LOYALTY_COMPLETED_ORDERS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/event_envelope.h"
#include "common/redis_client.h"

namespace revisit::bench {

// revisit.order.completed.v1 of `order` (100.00 CNY paid) for `customer`, sequence 1.
EventEnvelope CompletedOrderEvent(const std::string& customer, const std::string& order);

// Completed orders applied over `customers`, from the spend index of each shard (one
// pipelined ZMSCORE per shard; each CompletedOrderEvent adds 100.00 CNY of spend).
int64_t CompletedOrdersApplied(RedisClient& redis, const std::vector<std::string>& customers);

}  // namespace revisit::bench

#endif  // REVISIT_TOOLS_BENCH_LOYALTY_COMPLETED_ORDERS_H_
