--[[
  Last step of giving seats back, after PostgreSQL committed the return: each leg's counter
  gets the seats back, exactly once (only while the leg's `returns` hash still has the id).

  KEYS    lua/include/leg-keys.lua (per leg: available, epoch, returns and initing are used)
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
-- @include leg-keys
-- @include leg-initialising
-- @include give-seats-back
-- @include end-record
local rec, id = KEYS[1], ARGV[1]
if redis.call("HGET", rec, "state") == "cancelled" then
  return {0, 0}
end
if aLegIsInitialising() then return {-12} end
for i = 1, legCount do
  local k = leg(i)
  if not giveSeatsBack(k.available, k.returns, id) then
    redis.call("DEL", k.available)
  end
  redis.call("INCR", k.epoch)
end
endRecord("cancelled", ARGV[2], ARGV[3])
return {0, 1}
