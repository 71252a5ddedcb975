--[[
  Last step of giving seats back, after PostgreSQL committed the return: each leg's counter
  gets the seats back, exactly once (only while the leg's `returns` hash still has the id).

  KEYS[1] inv:hold:ID   KEYS[2] inv:holds:expiries
  KEYS[3i] inv:{f:LEG}:available   KEYS[1+3i] inv:{f:LEG}:epoch   KEYS[2+3i] inv:{f:LEG}:returns
  ARGV[1] id   ARGV[2] now (ms)   ARGV[3] how long the record stays answerable (ms)

  A leg whose hash lost the id either had its counter initialised from a snapshot that
  already included the return (nothing to do) or lost it to a Redis flush or restart (the
  counter may have missed it): the counter is dropped and the next read initialises it from
  PostgreSQL, which is right in both cases. The epoch bump makes an initialisation that read
  PostgreSQL before the commit start again.

  Returns {0, 1}  given back now
          {0, 0}  given back already
]]
local rec, id = KEYS[1], ARGV[1]
if redis.call("HGET", rec, "state") == "cancelled" then
  return {0, 0}
end
for i = 1, (#KEYS - 2) / 3 do
  local counter, returns = KEYS[3 * i], KEYS[2 + 3 * i]
  local seats = redis.call("HGET", returns, id)
  if seats then
    redis.call("HDEL", returns, id)
    if redis.call("EXISTS", counter) == 1 then
      redis.call("INCRBY", counter, seats)
    end
  else
    redis.call("DEL", counter)
  end
  redis.call("INCR", KEYS[1 + 3 * i])
end
redis.call("HSET", rec, "state", "cancelled", "ended_at", ARGV[2])
redis.call("PEXPIRE", rec, ARGV[3])
redis.call("ZREM", KEYS[2], id)
return {0, 1}
