-- claim_timers.lua: atomically claims due timers of one shard (common/timer_queue.h).
-- KEYS[1] due-time sorted set, KEYS[2] payload hash, KEYS[3] claim-token hash.
-- ARGV[1] now (ms), ARGV[2] lease (ms), ARGV[3] limit, ARGV[4] this claim's token.
-- Each claimed timer's score moves to now + lease, so no other scheduler sees it
-- until the lease ends (if the claimer dies, the timer becomes due again), and its
-- claim token is recorded. Any re-schedule (ScheduleTimer, CancelTimer) clears the
-- token, so release_timer.lua can tell "still as claimed" from "moved by someone".
-- Returns a flat array: id1, payload1, id2, payload2, ...
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
local until_ms = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, id in ipairs(due) do
  redis.call('ZADD', KEYS[1], until_ms, id)
  redis.call('HSET', KEYS[3], id, ARGV[4])
  out[#out + 1] = id
  out[#out + 1] = redis.call('HGET', KEYS[2], id) or ''
end
return out
