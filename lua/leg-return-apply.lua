--[[
  One leg of return-apply (lua/return-apply.lua, leg by leg): after PostgreSQL gave the seats
  back, the counter gets them once. A hash without the id had its counter initialised from a
  snapshot with the return, or lost it: the counter is dropped and initialised again.

  KEYS    lua/include/flight-keys.lua
  ARGV[1] id

  Returns {0}    done
          {-12}  the counter is being initialised: call again in a moment
]]
-- @include flight-keys
-- @include give-seats-back
if initialising() then return {-12} end
if not giveSeatsBack(available, returns, ARGV[1]) then
  redis.call("DEL", available)
end
redis.call("INCR", epoch)
return {0}
