--[[
  Last step of a confirm, after PostgreSQL committed the seats: the hold leaves each leg's
  hash (its seats are now counted by booked_seats instead) and becomes "confirmed".

  KEYS[1] inv:hold:ID   KEYS[2] inv:holds:expiries
  KEYS[3i]   inv:{f:LEG}:available   KEYS[1+3i] inv:{f:LEG}:epoch   KEYS[2+3i] inv:{f:LEG}:holds
  ARGV[1] hold id   ARGV[2] now (ms)   ARGV[3] how long the confirmed hold stays answerable (ms)

  The epoch bump makes a counter initialisation that read PostgreSQL before the commit start
  again. A leg whose hash no longer has the hold lost it (Redis flushed or restarted while the
  confirm ran): nothing proves its counter saw the commit, so the counter is dropped and the
  next read initialises it from PostgreSQL.

  Returns {0, 1}        confirmed now
          {0, 0}        confirmed already
          {-10, state}  the hold ended otherwise (the ledger prevents this): its legs' counters
                        are dropped, to be initialised again from PostgreSQL
]]
local rec, id = KEYS[1], ARGV[1]
local state = redis.call("HGET", rec, "state")
if state == "confirmed" then
  return {0, 0}
end
if state and state ~= "confirming" then
  -- Ended otherwise although PostgreSQL booked it: the counters cannot be trusted any more.
  for i = 1, (#KEYS - 2) / 3 do
    redis.call("HDEL", KEYS[2 + 3 * i], id)
    redis.call("DEL", KEYS[3 * i])
    redis.call("INCR", KEYS[1 + 3 * i])
  end
  return {-10, state}
end
for i = 1, (#KEYS - 2) / 3 do
  if redis.call("HDEL", KEYS[2 + 3 * i], id) == 0 then
    redis.call("DEL", KEYS[3 * i])
  end
  redis.call("INCR", KEYS[1 + 3 * i])
end
if state then
  redis.call("HSET", rec, "state", "confirmed", "ended_at", ARGV[2])
  redis.call("PEXPIRE", rec, ARGV[3])
end
redis.call("ZREM", KEYS[2], id)
return {0, 1}
