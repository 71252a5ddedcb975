--[[
  First step of a release leg by leg (lua/release.lua on Redis Cluster): only the call that
  flips the record to "releasing" owns the release; the legs give their seats back (each once,
  lua/leg-give.lua), then record-end ends it in its target state. The record goes to the
  sweeper now, so a release whose caller dies between the steps is finished by it.

  KEYS[1] inv:{h:S}:hold:ID   KEYS[2] inv:{h:S}:expiries
  ARGV[1] hold id   ARGV[2] target: released | expired | confirmed | cancelled (as release.lua)
  ARGV[3] now (ms)  ARGV[4] the state it must be in: held (a hold still "placing" counts),
          confirming, placing, or releasing (the sweeper finishing a release)

  Returns {0}              releasing now: give the legs back, then record-end
          {1, target}      a release was under way: give the legs back, then record-end
          {-3}             no such hold
          {-10, state}     another state (nothing changed)
          {-11}            target "expired" but the hold's expiry is still ahead
]]
local rec, id, now = KEYS[1], ARGV[1], tonumber(ARGV[3])
local h = redis.call("HMGET", rec, "state", "expires_at", "target")
local state, expected = h[1], ARGV[4]
if not state then
  return {-3}
end
if state == "releasing" then
  return {1, h[3]}
end
if state ~= expected and not (expected == "held" and state == "placing") then
  return {-10, state}
end
if ARGV[2] == "expired" and state == "held" and tonumber(h[2]) > now then
  return {-11}
end
redis.call("HSET", rec, "state", "releasing", "target", ARGV[2])
redis.call("ZADD", KEYS[2], now, id)
return {0}
