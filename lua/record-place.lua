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
-- @include hold-replay
local rec, expiries = KEYS[1], KEYS[2]
local id, seats, ttl, now = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

local replay = holdReplay(rec)
if replay then
  return replay
end

local expires = now + ttl
redis.call("HSET", rec, "legs", ARGV[6], "seats", seats, "state", "placing", "kind", ARGV[7],
  "token", ARGV[8], "expires_at", expires, "created_at", now)
redis.call("PEXPIRE", rec, ttl + tonumber(ARGV[5]))
redis.call("ZADD", expiries, now + tonumber(ARGV[9]), id)
return {0, expires}
