--[[
  Holds `seats` seats on every leg of an itinerary, or on none (one script: all or nothing).
  Idempotent on the hold id: the same id again answers the existing hold.

  KEYS           lua/include/leg-keys.lua: the hold record (hash), the sorted set hold id ->
                 time (ms) the sweeper acts on it, then per leg its counter (available) and
                 its hash hold id -> seats (holds); the other leg keys are not used
  ARGV[1] hold id   ARGV[2] seats   ARGV[3] ttl (ms)   ARGV[4] now (ms)
  ARGV[5] how long an ended hold stays answerable (ms)
  ARGV[6] the legs as "id,id,..." (compared on a replay)   ARGV[7] kind: hold | decrement
  ARGV[8] a token new to this hold: the seat ledger records which hold booked the id

  Returns {0, expires_at, "held", available_1, ..., available_n}  held now
          {1, expires_at, state, available_1, ...}                 this id holds them already
          {-1, i}                 leg i has no counter: initialise it, then call again
          {-2, i, available}      leg i has fewer seats free
          {-9}                    the id exists with other legs or seats
          {-4} released (also: released before it landed, lua/release-unknown.lua)
          {-5} expired (or past its expiry)  {-7} cancelled
]]
-- @include leg-keys
-- @include hold-replay
-- @include seats-free
local rec, expiries = KEYS[1], KEYS[2]
local id, seats, ttl, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

local function answer(code, expires, state)
  local out = {code, expires, state}
  for i = 1, legCount do
    out[#out + 1] = tonumber(redis.call("GET", leg(i).available) or "0")
  end
  return out
end

local replay = holdReplay(rec)
if replay then
  if replay[1] == 1 then return answer(1, replay[2], replay[3]) end
  return replay
end

local short = shortLeg(seats)
if short then
  return short
end

local expires = now + ttl
for i = 1, legCount do
  local k = leg(i)
  redis.call("DECRBY", k.available, seats)
  redis.call("HSET", k.holds, id, seats)
end
redis.call("HSET", rec, "legs", ARGV[6], "seats", seats, "state", "held", "kind", ARGV[7],
  "token", ARGV[8], "expires_at", expires, "created_at", now)
redis.call("PEXPIRE", rec, ttl + tonumber(ARGV[5]))
redis.call("ZADD", expiries, expires, id)
return answer(0, expires, "held")
