-- lease.lua: acquire or renew a lease. KEYS[1] lease key; ARGV[1] holder; ARGV[2] ttl ms.
-- Returns 1 when ARGV[1] holds the lease afterwards, 2 when newly acquired, 0 otherwise.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 2
end
return 0
