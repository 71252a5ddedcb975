--[[
  First step of giving booked seats back (cancelling a confirmed hold, or an increment):
  records on each leg that PostgreSQL is about to return them, before it does. The sweeper
  looks at it again after a grace period, in case the caller dies before return-apply.

  KEYS[1] inv:hold:ID (the hold, or the increment's own record)   KEYS[2] inv:holds:expiries
  then per leg i = 1..n, from KEYS[4i-1]: inv:{f:LEG}:available, :epoch, :returns, :initing
  ARGV[1] id   ARGV[2] seats   ARGV[3] now (ms)   ARGV[4] grace (ms)
  ARGV[5] legs "id,id"   ARGV[6] kind: hold | decrement | increment

  A missing record (Redis lost it, or the tombstone aged out; the ledger says the seats are
  booked) is re-created, so the sweeper can finish the job. The epoch bump makes a counter
  initialisation that is under way start again: its snapshot may already include the return.

  Returns {0}           ready: change PostgreSQL, then return-apply
          {-10, state}  not confirmed (held, confirming, released, expired) or already cancelled
          {-12}         a leg's counter is being initialised: call again in a moment
]]
local rec, id = KEYS[1], ARGV[1]
local state = redis.call("HGET", rec, "state")
if state and state ~= "confirmed" and state ~= "cancelling" then
  return {-10, state}
end
local legs = (#KEYS - 2) / 4
for i = 1, legs do
  local b = 4 * i - 1
  if redis.call("EXISTS", KEYS[b]) == 0 and redis.call("EXISTS", KEYS[b + 3]) == 1 then
    return {-12}
  end
end
for i = 1, legs do
  local b = 4 * i - 1
  redis.call("INCR", KEYS[b + 1])
  redis.call("HSET", KEYS[b + 2], id, ARGV[2])
end
if state then
  redis.call("HSET", rec, "state", "cancelling")
else
  redis.call("HSET", rec, "legs", ARGV[5], "seats", ARGV[2], "state", "cancelling", "kind", ARGV[6],
    "created_at", ARGV[3])
end
redis.call("PERSIST", rec)
redis.call("ZADD", KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[4]), id)
return {0}
