--[[
  What initialising one flight's seat counter needs, or the counter itself when it exists.

  KEYS[1] inv:{f:ID}:available  the counter
  KEYS[2] inv:{f:ID}:epoch      bumped by every step that follows a PostgreSQL commit
  KEYS[3] inv:{f:ID}:holds      hash op id -> seats subtracted from the counter, not known booked
  KEYS[4] inv:{f:ID}:returns    hash op id -> seats PostgreSQL may have given back, counter not yet
  KEYS[5] inv:{f:ID}:initing    the initialisation lock
  ARGV[1] how long the lock lives (ms)

  While the lock lives and the counter is missing, the steps that bump the epoch wait
  (confirm-finish, return-begin, return-apply answer "busy"), so a flight with many confirms
  cannot keep its initialisation retrying forever. The lock expires by itself if the
  initialising process dies.

  Returns {0, available}                          the counter exists
          {-1, epoch, {hold ids}, {return ids}}   it is missing: read PostgreSQL, then init-counter
]]
local available = redis.call("GET", KEYS[1])
if available then
  return {0, tonumber(available)}
end
redis.call("SET", KEYS[5], 1, "PX", ARGV[1])
local epoch = tonumber(redis.call("GET", KEYS[2]) or "0")
return {-1, epoch, redis.call("HKEYS", KEYS[3]), redis.call("HKEYS", KEYS[4])}
