--[[
  First step of giving booked seats back leg by leg (lua/return-begin.lua on Redis Cluster):
  the record becomes "cancelling" (re-created if Redis lost it) and goes to the sweeper after
  the grace period; then each leg records the pending return (lua/leg-return-mark.lua).

  KEYS[1] inv:{h:S}:hold:ID   KEYS[2] inv:{h:S}:expiries
  ARGV[1] id   ARGV[2] seats   ARGV[3] now (ms)   ARGV[4] grace (ms)
  ARGV[5] legs "id,id"   ARGV[6] kind: hold | decrement | increment

  Returns {0}           ready: mark the legs, change PostgreSQL, then return-apply
          {-10, state}  not confirmed (held, confirming, released, expired) or already cancelled
]]
-- @include mark-cancelling
local state = redis.call("HGET", KEYS[1], "state")
if state and state ~= "confirmed" and state ~= "cancelling" then
  return {-10, state}
end
markCancelling(state)
return {0}
