--[[
  Last step of a confirm, after PostgreSQL committed the seats: the hold leaves each leg's
  hash (its seats are now counted by booked_seats instead) and becomes "confirmed".

  KEYS    lua/include/leg-keys.lua (per leg: available, epoch, holds and initing are used)
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
-- @include leg-keys
-- @include leg-initialising
-- @include end-record
local rec, id = KEYS[1], ARGV[1]
local state = redis.call("HGET", rec, "state")
if state == "confirmed" then
  return {0, 0}
end
if aLegIsInitialising() then return {-12} end
if state and state ~= "confirming" then
  -- Ended otherwise although PostgreSQL booked it: the counters cannot be trusted any more.
  for i = 1, legCount do
    local k = leg(i)
    redis.call("HDEL", k.holds, id)
    redis.call("DEL", k.available)
    redis.call("INCR", k.epoch)
  end
  return {-10, state}
end
for i = 1, legCount do
  local k = leg(i)
  if redis.call("HDEL", k.holds, id) == 0 then
    redis.call("DEL", k.available)
  end
  redis.call("INCR", k.epoch)
end
if state then
  endRecord("confirmed", ARGV[2], ARGV[3])
else
  redis.call("ZREM", KEYS[2], id)
end
return {0, 1}
