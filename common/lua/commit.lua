-- commit.lua: applies one revisit::WriteBatch atomically (see common/write_batch.h).
-- ARGV[1] is the op count; then each op is its opcode followed by its arguments.
-- Key arguments are 1-based indexes into KEYS. Guards (DEDUPE, VERSION, MEMBER) are
-- all checked before any write, so a failed guard changes nothing.
-- XADD numbers the event: HINCRBY on the sequence hash (second key argument; field =
-- the event's subject) gives its ce_sequence, written into the entry's "seq" field, so
-- every (source, subject) has one counter that moves only when an event is committed.
-- Returns {"OK"} or {"DUP", <response recorded by the first commit>}.
local arity = {DEDUPE = 3, VERSION = 2, MEMBER = 2, PUT = 3, DEL = 1, ZADD = 3, ZREM = 2,
               HSET = 3, HDEL = 2, SET = 2, INCRBY = 2, SADD = 2, SREM = 2}
local ops, pos = {}, 2
for _ = 1, tonumber(ARGV[1]) do
  local op = {name = ARGV[pos]}
  pos = pos + 1
  local n = arity[op.name]
  if op.name == 'XADD' then n = 3 + 2 * tonumber(ARGV[pos + 2]) end
  if n == nil then return redis.error_reply('INTERNAL:unknown batch op ' .. tostring(op.name)) end
  op.args = {}
  for k = 1, n do op.args[k] = ARGV[pos + k - 1] end
  pos = pos + n
  ops[#ops + 1] = op
end

local function key(op) return KEYS[tonumber(op.args[1])] end

-- Guards. DEDUPE first, wherever it sits in the batch: a repeat is a duplicate even
-- when the first commit has since made its other guards stale. A batch may carry
-- several DEDUPE keys (one per consumed event of a batched chain): if any of them is
-- recorded, nothing applies and the first recorded response is returned.
local dedupes = {}
for _, op in ipairs(ops) do
  if op.name == 'DEDUPE' then
    local prior = redis.call('GET', key(op))
    if prior then return {'DUP', prior} end
    dedupes[#dedupes + 1] = op
  end
end
for _, op in ipairs(ops) do
  if op.name == 'VERSION' then
    local v = redis.call('HGET', key(op), 'v') or '0'
    if v ~= op.args[2] then
      return redis.error_reply('ABORTED:concurrent change of ' .. key(op) .. ' (version ' .. v ..
                               ', expected ' .. op.args[2] .. ')')
    end
  elseif op.name == 'MEMBER' then
    if not redis.call('ZSCORE', key(op), op.args[2]) then
      return redis.error_reply('NOT_FOUND:' .. op.args[2] .. ' is no longer in ' .. key(op))
    end
  end
end

-- Writes.
for _, op in ipairs(ops) do
  local k, a = key(op), op.args
  if op.name == 'PUT' then redis.call('HSET', k, 'v', a[2], 'd', a[3])
  elseif op.name == 'DEL' then redis.call('DEL', k)
  elseif op.name == 'ZADD' then redis.call('ZADD', k, a[2], a[3])
  elseif op.name == 'ZREM' then redis.call('ZREM', k, a[2])
  elseif op.name == 'HSET' then redis.call('HSET', k, a[2], a[3])
  elseif op.name == 'HDEL' then redis.call('HDEL', k, a[2])
  elseif op.name == 'SET' then redis.call('SET', k, a[2])
  elseif op.name == 'INCRBY' then redis.call('INCRBY', k, a[2])
  elseif op.name == 'SADD' then redis.call('SADD', k, a[2])
  elseif op.name == 'SREM' then redis.call('SREM', k, a[2])
  elseif op.name == 'XADD' then
    local fields, subject, seq_at = {}, nil, nil
    for f = 4, #a, 2 do
      fields[#fields + 1] = a[f]
      fields[#fields + 1] = a[f + 1]
      if a[f] == 'subject' then subject = a[f + 1] end
      if a[f] == 'seq' then seq_at = #fields end
    end
    if subject == nil or seq_at == nil then
      return redis.error_reply('INTERNAL:outbox event without subject or seq field')
    end
    fields[seq_at] = tostring(redis.call('HINCRBY', KEYS[tonumber(a[2])], subject, 1))
    redis.call('XADD', k, '*', unpack(fields))
  end
end
for _, d in ipairs(dedupes) do redis.call('SET', key(d), d.args[3], 'PX', d.args[2]) end
return {'OK'}
