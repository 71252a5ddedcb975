--[[
  One leg of a confirm's last step (lua/confirm-finish.lua, leg by leg): after PostgreSQL
  booked the seats, the hold leaves the flight's hash and the epoch moves. A hash without the
  hold lost it (Redis flushed or restarted, or an earlier try of this step): nothing proves the
  counter saw the commit, so it is dropped and the next read initialises it from PostgreSQL.

  KEYS    lua/include/flight-keys.lua
  ARGV[1] hold id

  Returns {0}    done
          {-12}  the counter is being initialised: call again in a moment
]]
-- @include flight-keys
if initialising() then return {-12} end
if redis.call("HDEL", holds, ARGV[1]) == 0 then
  redis.call("DEL", available)
end
redis.call("INCR", epoch)
return {0}
