--[[
  lua/confirm-finish.lua for every confirm of one committed batch at once (they share their
  legs: flight-svc/inventory/group-commit.ts batches by leg set). One node only: the records
  live in other slots than the legs.

  KEYS    per leg, the flight's five keys (lua/include/flight-keys.lua's order); then per
          member its record and its shard's expiry index
  ARGV[1] now (ms)   ARGV[2] how long a confirmed record stays answerable (ms)
  ARGV[3] the number of legs   ARGV[4..] the members' ids, in the order of their keys

  Each epoch moves once: an initialisation that read PostgreSQL before the batch committed
  starts again, as it would after each member's own step.

  Returns {0, r_1, ..., r_n}  per member as confirm-finish answers it: 1 confirmed now,
                              0 confirmed already, -10 ended otherwise (its legs' counters
                              are dropped, to be initialised again from PostgreSQL)
          {-12}               a leg's counter is being initialised: nothing was done
]]
local legCount = tonumber(ARGV[3])
local memberKeys = legCount * 5

local function legKey(i, n)
  return KEYS[(i - 1) * 5 + n]
end
local AVAILABLE, EPOCH, HOLDS, INITING = 1, 2, 3, 5

for i = 1, legCount do
  if redis.call("EXISTS", legKey(i, AVAILABLE)) == 0 and redis.call("EXISTS", legKey(i, INITING)) == 1 then
    return {-12}
  end
end

local out = {0}
for m = 1, #ARGV - 3 do
  local id = ARGV[m + 3]
  local rec, expiries = KEYS[memberKeys + 2 * m - 1], KEYS[memberKeys + 2 * m]
  local state = redis.call("HGET", rec, "state")
  if state == "confirmed" then
    out[#out + 1] = 0
  elseif state and state ~= "confirming" then
    -- Ended otherwise although PostgreSQL booked it: the counters cannot be trusted any more.
    for i = 1, legCount do
      redis.call("HDEL", legKey(i, HOLDS), id)
      redis.call("DEL", legKey(i, AVAILABLE))
    end
    out[#out + 1] = -10
  else
    for i = 1, legCount do
      if redis.call("HDEL", legKey(i, HOLDS), id) == 0 then
        redis.call("DEL", legKey(i, AVAILABLE))
      end
    end
    if state then
      redis.call("HSET", rec, "state", "confirmed", "ended_at", ARGV[1])
      redis.call("PEXPIRE", rec, ARGV[2])
    end
    redis.call("ZREM", expiries, id)
    out[#out + 1] = 1
  end
end
for i = 1, legCount do
  redis.call("INCR", legKey(i, EPOCH))
end
return out
