-- release_timer.lua: removes a fired timer unless it was re-scheduled or re-claimed.
-- KEYS[1] due-time sorted set, KEYS[2] payload hash, KEYS[3] claim-token hash;
-- ARGV[1] id; ARGV[2] the token of the claim that fired it. The timer is removed
-- only while its recorded token is still ARGV[2]: a re-schedule (at any score, even
-- the lease score) clears the token, a later claim by another scheduler replaces it.
-- Returns 1 when removed, 0 when kept.
if redis.call('HGET', KEYS[3], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
