--[[
  One leg of return-begin (lua/return-begin.lua, leg by leg): records that PostgreSQL is about
  to give `seats` back, before it does; the epoch bump restarts an initialisation under way.

  KEYS    lua/include/flight-keys.lua
  ARGV[1] id   ARGV[2] seats

  Returns {0}    recorded (again, on a retry: the same entry)
          {-12}  the counter is being initialised: call again in a moment
]]
-- @include flight-keys
if initialising() then return {-12} end
redis.call("INCR", epoch)
redis.call("HSET", returns, ARGV[1], ARGV[2])
return {0}
