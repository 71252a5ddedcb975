--[[
  First step of giving booked seats back (cancelling a confirmed hold, or an increment):
  records on each leg that PostgreSQL is about to return them, before it does. The sweeper
  looks at it again after a grace period, in case the caller dies before return-apply.

  KEYS[1] inv:hold:ID (the hold, or the increment's own record)   KEYS[2] inv:holds:expiries
  KEYS[1+2i] inv:{f:LEG}:epoch   KEYS[2+2i] inv:{f:LEG}:returns   (leg i = 1..n)
  ARGV[1] id   ARGV[2] seats   ARGV[3] now (ms)   ARGV[4] grace (ms)
  ARGV[5] legs "id,id"   ARGV[6] kind: hold | decrement | increment

  A missing record (Redis lost it, or the tombstone aged out; the ledger says the seats are
  booked) is re-created, so the sweeper can finish the job. The epoch bump makes a counter
  initialisation that is under way start again: its snapshot may already include the return.

  Returns {0}           ready: change PostgreSQL, then return-apply
          {-10, state}  not confirmed (held, confirming, released, expired) or already cancelled
]]
local rec, id = KEYS[1], ARGV[1]
local state = redis.call("HGET", rec, "state")
if state and state ~= "confirmed" and state ~= "cancelling" then
  return {-10, state}
end
for i = 1, (#KEYS - 2) / 2 do
  redis.call("INCR", KEYS[1 + 2 * i])
  redis.call("HSET", KEYS[2 + 2 * i], id, ARGV[2])
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
