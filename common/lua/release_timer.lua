-- release_timer.lua: removes a fired timer unless its handler re-scheduled it.
-- KEYS[1] due-time sorted set, KEYS[2] payload hash; ARGV[1] id; ARGV[2] the lease
-- score the claim gave it. A different score means it was moved: keep it.
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('HDEL', KEYS[2], ARGV[1])
  return 1
end
return 0
