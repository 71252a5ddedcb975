--[[
  First step of a hold placed leg by leg (Redis Cluster: the legs live in other slots than the
  record). Creates the record in state "placing", or answers an existing one as hold.lua does.
  The sweeper looks at a placing record after the grace period: a placement whose caller died
  gives its legs back then.

  KEYS[1] inv:{h:S}:hold:ID   KEYS[2] inv:{h:S}:expiries (the same shard S)
  ARGV[1] hold id   ARGV[2] seats   ARGV[3] ttl (ms)   ARGV[4] now (ms)
  ARGV[5] how long an ended hold stays answerable (ms)   ARGV[6] legs "id,id,..."
  ARGV[7] kind: hold | decrement   ARGV[8] a token new to this hold   ARGV[9] grace (ms)

  Returns {0, expires_at}          placing now: take the legs, then record-placed
          {1, expires_at, state}   this id holds them already
          {-12}                    another call is placing this id: ask again in a moment
          {-9} {-4} {-5} {-7}      as lua/hold.lua
]]
local rec, expiries = KEYS[1], KEYS[2]
local id, seats, ttl, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

local old = redis.call("HMGET", rec, "legs", "seats", "state", "expires_at", "target")
if old[3] then
  if not old[1] then
    return {-4}
  end
  if old[1] ~= ARGV[6] or tonumber(old[2]) ~= seats then
    return {-9}
  end
  local state, expires = old[3], tonumber(old[4])
  if state == "placing" then return {-12} end
  if state == "releasing" then
    if old[5] == "expired" then return {-5} end
    return {-4}
  end
  if state == "released" then return {-4} end
  if state == "expired" or (state == "held" and expires <= now) then return {-5} end
  if state == "cancelling" or state == "cancelled" then return {-7} end
  return {1, expires, state}
end

local expires = now + ttl
redis.call("HSET", rec, "legs", ARGV[6], "seats", seats, "state", "placing", "kind", ARGV[7],
  "token", ARGV[8], "expires_at", expires, "created_at", now)
redis.call("PEXPIRE", rec, ttl + tonumber(ARGV[5]))
redis.call("ZADD", expiries, now + tonumber(ARGV[9]), id)
return {0, expires}
