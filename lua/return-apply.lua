--[[
  Last step of giving seats back, after PostgreSQL committed the return: each leg's counter
  gets the seats back, exactly once (only while the leg's `returns` hash still has the id).

  KEYS[1] inv:hold:ID   KEYS[2] inv:holds:expiries
  then per leg i = 1..n, from KEYS[4i-1]: inv:{f:LEG}:available, :epoch, :returns, :initing
  ARGV[1] id   ARGV[2] now (ms)   ARGV[3] how long the record stays answerable (ms)

  A leg whose hash lost the id either had its counter initialised from a snapshot that
  already included the return (nothing to do) or lost it to a Redis flush or restart (the
  counter may have missed it): the counter is dropped and the next read initialises it from
  PostgreSQL, which is right in both cases. The epoch bump makes an initialisation that read
  PostgreSQL before the commit start again.

  Returns {0, 1}  given back now
          {0, 0}  given back already
          {-12}   a leg's counter is being initialised: call again in a moment
]]
local rec, id = KEYS[1], ARGV[1]
if redis.call("HGET", rec, "state") == "cancelled" then
  return {0, 0}
end
local legs = (#KEYS - 2) / 4
for i = 1, legs do
  local b = 4 * i - 1
  if redis.call("EXISTS", KEYS[b]) == 0 and redis.call("EXISTS", KEYS[b + 3]) == 1 then
    return {-12}
  end
end
for i = 1, legs do
  local b = 4 * i - 1
  local counter, returns = KEYS[b], KEYS[b + 2]
  local seats = redis.call("HGET", returns, id)
  if seats then
    redis.call("HDEL", returns, id)
    if redis.call("EXISTS", counter) == 1 then
      redis.call("INCRBY", counter, seats)
    end
  else
    redis.call("DEL", counter)
  end
  redis.call("INCR", KEYS[b + 1])
end
redis.call("HSET", rec, "state", "cancelled", "ended_at", ARGV[2])
redis.call("PEXPIRE", rec, ARGV[3])
redis.call("ZREM", KEYS[2], id)
return {0, 1}
