--[[
  Undoes cancel-begin when PostgreSQL did not return the seats (an increment refused, or the
  ledger ruled that the operation never happened): the legs forget the pending return and
  the counters stay as they are.

  KEYS[1] inv:hold:ID   KEYS[2] inv:holds:expiries
  KEYS[2+i] inv:{f:LEG}:returns   (leg i = 1..n)
  ARGV[1] id   ARGV[2] state to record: confirmed (a cancel that did not happen) | released
  ARGV[3] now (ms)   ARGV[4] how long the record stays answerable (ms)

  Returns {0}
]]
local rec, id = KEYS[1], ARGV[1]
for i = 3, #KEYS do
  redis.call("HDEL", KEYS[i], id)
end
if redis.call("HGET", rec, "state") == "cancelling" then
  redis.call("HSET", rec, "state", ARGV[2], "ended_at", ARGV[3])
  redis.call("PEXPIRE", rec, ARGV[4])
end
redis.call("ZREM", KEYS[2], id)
return {0}
