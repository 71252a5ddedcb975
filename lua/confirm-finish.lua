--[[
  Last step of a confirm, after PostgreSQL committed the seats: the hold leaves each leg's
  hash (its seats are now counted by booked_seats instead) and becomes "confirmed".

  KEYS[1] inv:hold:ID   KEYS[2] inv:holds:expiries
  then per leg i = 1..n, from KEYS[4i-1]: inv:{f:LEG}:available, :epoch, :holds, :initing
  ARGV[1] hold id   ARGV[2] now (ms)   ARGV[3] how long the confirmed hold stays answerable (ms)

  The epoch bump makes a counter initialisation that read PostgreSQL before the commit start
  again. A leg whose hash no longer has the hold lost it (Redis flushed or restarted while the
  confirm ran): nothing proves its counter saw the commit, so the counter is dropped and the
  next read initialises it from PostgreSQL.

  Returns {0, 1}        confirmed now
          {-12}         a leg's counter is being initialised: call again in a moment
          {0, 0}        confirmed already
          {-10, state}  the hold ended otherwise (the ledger prevents this): its legs' counters
                        are dropped, to be initialised again from PostgreSQL
]]
local rec, id = KEYS[1], ARGV[1]
local state = redis.call("HGET", rec, "state")
if state == "confirmed" then
  return {0, 0}
end
local legs = (#KEYS - 2) / 4
for i = 1, legs do
  local b = 4 * i - 1
  if redis.call("EXISTS", KEYS[b]) == 0 and redis.call("EXISTS", KEYS[b + 3]) == 1 then
    return {-12}
  end
end
if state and state ~= "confirming" then
  -- Ended otherwise although PostgreSQL booked it: the counters cannot be trusted any more.
  for i = 1, legs do
    local b = 4 * i - 1
    redis.call("HDEL", KEYS[b + 2], id)
    redis.call("DEL", KEYS[b])
    redis.call("INCR", KEYS[b + 1])
  end
  return {-10, state}
end
for i = 1, legs do
  local b = 4 * i - 1
  if redis.call("HDEL", KEYS[b + 2], id) == 0 then
    redis.call("DEL", KEYS[b])
  end
  redis.call("INCR", KEYS[b + 1])
end
if state then
  redis.call("HSET", rec, "state", "confirmed", "ended_at", ARGV[2])
  redis.call("PEXPIRE", rec, ARGV[3])
end
redis.call("ZREM", KEYS[2], id)
return {0, 1}
