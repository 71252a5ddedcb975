--[[
  First step of giving booked seats back (cancelling a confirmed hold, or an increment):
  records on each leg that PostgreSQL is about to return them, before it does. The sweeper
  looks at it again after a grace period, in case the caller dies before return-apply.

  KEYS    lua/include/leg-keys.lua; KEYS[1] is the hold, or the increment's own record
          (per leg: available, epoch, returns and initing are used)
  ARGV[1] id   ARGV[2] seats   ARGV[3] now (ms)   ARGV[4] grace (ms)
  ARGV[5] legs "id,id"   ARGV[6] kind: hold | decrement | increment

  A missing record (Redis lost it, or the tombstone aged out; the ledger says the seats are
  booked) is re-created, so the sweeper can finish the job. The epoch bump makes a counter
  initialisation that is under way start again: its snapshot may already include the return.

  Returns {0}           ready: change PostgreSQL, then return-apply
          {-10, state}  not confirmed (held, confirming, released, expired) or already cancelled
          {-12}         a leg's counter is being initialised: call again in a moment
]]
-- @include leg-keys
-- @include leg-initialising
-- @include mark-cancelling
local rec, id = KEYS[1], ARGV[1]
local state = redis.call("HGET", rec, "state")
if state and state ~= "confirmed" and state ~= "cancelling" then
  return {-10, state}
end
if aLegIsInitialising() then return {-12} end
for i = 1, legCount do
  local k = leg(i)
  redis.call("INCR", k.epoch)
  redis.call("HSET", k.returns, id, ARGV[2])
end
markCancelling(state)
return {0}
