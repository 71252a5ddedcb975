--[[
  Drops a counter that reconcile found wrong, only if nothing touched the flight since it
  looked; the next read initialises the counter from PostgreSQL (lua/init-counter.lua).

  KEYS[1] inv:{f:ID}:available   KEYS[2] inv:{f:ID}:epoch
  ARGV[1] the counter value reconcile saw   ARGV[2] the epoch it saw

  Returns {0}   dropped
          {-8}  the counter or the epoch moved: look again
]]
local epoch = tonumber(redis.call("GET", KEYS[2]) or "0")
if redis.call("GET", KEYS[1]) ~= ARGV[1] or epoch ~= tonumber(ARGV[2]) then
  return {-8}
end
redis.call("DEL", KEYS[1])
return {0}
