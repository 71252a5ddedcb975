--[[
  First step of a confirm: a live hold becomes "confirming", which no release or expiry can
  end; the seats stay subtracted. The sweeper looks at it again after a grace period, in case
  the confirm dies before its last step (it then asks the ledger how it ended).

  KEYS[1] inv:hold:ID   KEYS[2] inv:holds:expiries
  ARGV[1] hold id   ARGV[2] now (ms)   ARGV[3] grace (ms)

  Returns {0, legs "id,id", seats, kind, token}  confirming (now or already: a retry carries on)
          {-3}          no such hold
          {-5}          expired (or past its expiry, not yet swept)
          {-10, state, legs, seats, kind}  released, confirmed, cancelling or cancelled
]]
local rec = KEYS[1]
local h = redis.call("HMGET", rec, "state", "expires_at", "legs", "seats", "kind", "token")
local state = h[1]
if not state then
  return {-3}
end
if state == "held" then
  if tonumber(h[2]) <= tonumber(ARGV[2]) then
    return {-5}
  end
elseif state == "expired" then
  return {-5}
elseif state ~= "confirming" then
  return {-10, state, h[3], tonumber(h[4]), h[5]}
end
redis.call("HSET", rec, "state", "confirming")
redis.call("ZADD", KEYS[2], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
return {0, h[3], tonumber(h[4]), h[5], h[6] or ""}
