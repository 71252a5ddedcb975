--[[
  The record of an operation whose booked seats go back (lua/return-begin.lua, and
  lua/record-return.lua leg by leg) becomes "cancelling", re-created if Redis lost it, and goes
  to the sweeper after the grace period. KEYS[1] the record, KEYS[2] the expiry index; ARGV[1]
  id, ARGV[2] seats, ARGV[3] now (ms), ARGV[4] grace (ms), ARGV[5] legs, ARGV[6] kind.
]]
local function markCancelling(state)
  if state then
    redis.call("HSET", KEYS[1], "state", "cancelling")
  else
    redis.call("HSET", KEYS[1], "legs", ARGV[5], "seats", ARGV[2], "state", "cancelling", "kind", ARGV[6],
      "created_at", ARGV[3])
  end
  redis.call("PERSIST", KEYS[1])
  redis.call("ZADD", KEYS[2], tonumber(ARGV[3]) + tonumber(ARGV[4]), ARGV[1])
end
