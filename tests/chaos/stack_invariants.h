// What every chaos suite checks on a whole Revisit stack: the invariant checker's
// options for the harness Stack (its four event topics, outboxes and consumer groups) and
// the effects each request may have at most once, read from the events (a refund per
// order, a ledger entry per source, a touch sent once, a complaint per rating).
// Thread-safety: free functions; the options capture `redis` by reference.
#ifndef REVISIT_TESTS_CHAOS_STACK_INVARIANTS_H_
#define REVISIT_TESTS_CHAOS_STACK_INVARIANTS_H_

#include "common/redis_client.h"
#include "tests/harness/stack.h"
#include "tests/harness/invariant_checker.h"

namespace revisit::e2e {

testing::InvariantCheckerOptions StackCheckerOptions(testing::Stack& s, RedisClient& redis);

void AddStackEffectChecks(testing::InvariantChecker& checker);

}  // namespace revisit::e2e

#endif  // REVISIT_TESTS_CHAOS_STACK_INVARIANTS_H_
