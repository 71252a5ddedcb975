--[[
  A seat decrement's only step before PostgreSQL (what hold + confirm-begin do for a hold, in
  one script): takes `seats` on every leg, or on none, and records the operation already
  "confirming", due to the sweeper after the grace period. A caller that dies before its
  commit leaves the sweeper to ask the ledger: no row, the seats go back; a row, the confirm
  is finished. The id is new to every call, so there is no replay.

  KEYS    lua/include/leg-keys.lua (per leg: available and holds are used)
  ARGV[1] operation id   ARGV[2] seats   ARGV[3] now (ms)   ARGV[4] grace (ms)
  ARGV[5] how long the ended record stays answerable (ms)   ARGV[6] the legs as "id,id,..."
  ARGV[7] the token the seat ledger records for the operation

  Returns {0, available_1, ..., available_n}  taken, confirming
          {-1, i}                 leg i has no counter: initialise it, then call again
          {-2, i, available}      leg i has fewer seats free
          {-9}                    the id exists already
]]
-- @include leg-keys
-- @include seats-free
local rec, expiries = KEYS[1], KEYS[2]
local id, seats, now, grace = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

if redis.call("EXISTS", rec) == 1 then
  return {-9}
end
local short = shortLeg(seats)
if short then
  return short
end

local out = {0}
for i = 1, legCount do
  local k = leg(i)
  out[#out + 1] = redis.call("DECRBY", k.available, seats)
  redis.call("HSET", k.holds, id, seats)
end
redis.call("HSET", rec, "legs", ARGV[6], "seats", seats, "state", "confirming", "kind", "decrement",
  "token", ARGV[7], "expires_at", now + grace, "created_at", now)
redis.call("PEXPIRE", rec, grace + tonumber(ARGV[5]))
redis.call("ZADD", expiries, now + grace, id)
return out
