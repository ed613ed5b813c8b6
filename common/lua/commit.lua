-- commit.lua: applies one revisit::WriteBatch atomically (see common/write_batch.h).
-- ARGV[1] is the op count; then each op is its opcode followed by its arguments.
-- Key arguments are 1-based indexes into KEYS. Guards (DEDUPE, VERSION, MEMBER) are
-- all checked before any write, so a failed guard changes nothing.
-- XADD numbers the event: HINCRBY on the sequence hash (second key argument; field =
-- the event's subject) gives its ce_sequence, so every (source, subject) has one
-- counter that moves only when an event is committed. The entry is one field, "e" =
-- "<seq>:<encoded envelope>" (common/outbox_entry.h); XADDF writes the eleven-field
-- entry older versions read (REVISIT_OUTBOX_COMPACT=false), its "seq" field filled.
-- Returns {"OK"} or {"DUP", <response recorded by the first commit>}.
-- Cost (docs/performance.md): ops are kept as positions into ARGV (no per-op tables,
-- no argument copies); XADD writes one field; one HINCRBY per subject and batch.
local ARITY = {DEDUPE = 3, VERSION = 2, MEMBER = 2, PUT = 3, DEL = 1, ZADD = 3, ZREM = 2,
               HSET = 3, HDEL = 2, SET = 2, INCRBY = 2, SADD = 2, SREM = 2, XADD = 4}
local names, starts, n_ops, pos = {}, {}, tonumber(ARGV[1]), 2
-- XADD events per counter: "<sequence hash key index>\n<subject>" -> count, so one
-- HINCRBY numbers all of a subject's events of the batch (a batched chain has many).
local xadds = {}
for i = 1, n_ops do
  local name = ARGV[pos]
  local n = ARITY[name]
  if name == 'XADDF' then n = 3 + 2 * tonumber(ARGV[pos + 3]) end
  if n == nil then return redis.error_reply('INTERNAL:unknown batch op ' .. tostring(name)) end
  names[i], starts[i] = name, pos + 1  -- ARGV[starts[i]] is the op's first argument
  if name == 'XADD' then
    local counter = ARGV[pos + 2] .. '\n' .. ARGV[pos + 3]
    xadds[counter] = (xadds[counter] or 0) + 1
  end
  pos = pos + 1 + n
end

local call = redis.call

-- Guards. DEDUPE first, wherever it sits in the batch: a repeat is a duplicate even
-- when the first commit has since made its other guards stale. A batch may carry
-- several DEDUPE keys (one per consumed event of a batched chain): if any of them is
-- recorded, nothing applies and the first recorded response is returned.
for i = 1, n_ops do
  if names[i] == 'DEDUPE' then
    local prior = call('GET', KEYS[tonumber(ARGV[starts[i]])])
    if prior then return {'DUP', prior} end
  end
end
for i = 1, n_ops do
  local name, a = names[i], starts[i]
  if name == 'VERSION' then
    local k = KEYS[tonumber(ARGV[a])]
    local v = call('HGET', k, 'v') or '0'
    if v ~= ARGV[a + 1] then
      return redis.error_reply('ABORTED:concurrent change of ' .. k .. ' (version ' .. v ..
                               ', expected ' .. ARGV[a + 1] .. ')')
    end
  elseif name == 'MEMBER' then
    local k = KEYS[tonumber(ARGV[a])]
    if not call('ZSCORE', k, ARGV[a + 1]) then
      return redis.error_reply('NOT_FOUND:' .. ARGV[a + 1] .. ' is no longer in ' .. k)
    end
  end
end

-- XADD: ARGV[a] stream, ARGV[a+1] sequence hash, ARGV[a+2] subject, ARGV[a+3] envelope.
-- The first event of a counter reserves the numbers of all its events in the batch
-- (HINCRBY by their count); each takes the next one, in op order: the same numbers
-- as one HINCRBY per event, in one call.
local next_seq = {}
local function xadd(a)
  local counter = ARGV[a + 1] .. '\n' .. ARGV[a + 2]
  local seq = next_seq[counter]
  if seq == nil then
    local n = xadds[counter]
    seq = call('HINCRBY', KEYS[tonumber(ARGV[a + 1])], ARGV[a + 2], n) - n + 1
  end
  next_seq[counter] = seq + 1
  call('XADD', KEYS[tonumber(ARGV[a])], '*', 'e', string.format('%d', seq) .. ':' .. ARGV[a + 3])
end

-- XADDF: ARGV[a] stream, ARGV[a+1] sequence hash, ARGV[a+2] field count, then fields.
local function xaddf(a)
  local first, last = a + 3, a + 2 + 2 * tonumber(ARGV[a + 2])
  local subject, seq_at
  for f = first, last, 2 do
    if ARGV[f] == 'subject' then subject = ARGV[f + 1] end
    if ARGV[f] == 'seq' then seq_at = f + 1 end
  end
  if subject == nil or seq_at == nil then
    return redis.error_reply('INTERNAL:outbox event without subject or seq field')
  end
  ARGV[seq_at] = tostring(call('HINCRBY', KEYS[tonumber(ARGV[a + 1])], subject, 1))
  call('XADD', KEYS[tonumber(ARGV[a])], '*', unpack(ARGV, first, last))
end

-- Writes.
for i = 1, n_ops do
  local name, a = names[i], starts[i]
  local k = KEYS[tonumber(ARGV[a])]
  if name == 'PUT' then call('HSET', k, 'v', ARGV[a + 1], 'd', ARGV[a + 2])
  elseif name == 'DEL' then call('DEL', k)
  elseif name == 'ZADD' then call('ZADD', k, ARGV[a + 1], ARGV[a + 2])
  elseif name == 'ZREM' then call('ZREM', k, ARGV[a + 1])
  elseif name == 'HSET' then call('HSET', k, ARGV[a + 1], ARGV[a + 2])
  elseif name == 'HDEL' then call('HDEL', k, ARGV[a + 1])
  elseif name == 'SET' then call('SET', k, ARGV[a + 1])
  elseif name == 'INCRBY' then call('INCRBY', k, ARGV[a + 1])
  elseif name == 'SADD' then call('SADD', k, ARGV[a + 1])
  elseif name == 'SREM' then call('SREM', k, ARGV[a + 1])
  elseif name == 'XADD' then xadd(a)
  elseif name == 'XADDF' then
    local err = xaddf(a)
    if err then return err end
  end
end
for i = 1, n_ops do
  if names[i] == 'DEDUPE' then
    local a = starts[i]
    call('SET', KEYS[tonumber(ARGV[a])], ARGV[a + 2], 'PX', ARGV[a + 1])
  end
end
return {'OK'}
