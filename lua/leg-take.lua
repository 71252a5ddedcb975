--[[
  One leg of a hold placed leg by leg: takes `seats` on this flight for the hold, once (a
  retry finds the hold in the flight's hash and takes nothing more).

  KEYS    lua/include/flight-keys.lua (available and holds are used)
  ARGV[1] hold id   ARGV[2] seats

  Returns {0, available}   taken (now or before)
          {-1}             no counter: initialise it, then call again
          {-2, available}  fewer seats free
]]
-- @include flight-keys
local id, seats = ARGV[1], tonumber(ARGV[2])
if redis.call("HEXISTS", holds, id) == 1 then
  return {0, tonumber(redis.call("GET", available) or "0")}
end
local free = redis.call("GET", available)
if not free then
  return {-1}
end
if tonumber(free) < seats then
  return {-2, tonumber(free)}
end
redis.call("HSET", holds, id, seats)
return {0, redis.call("DECRBY", available, seats)}
