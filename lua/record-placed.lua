--[[
  Last step of a hold placed leg by leg: every leg is taken, the hold is "held" and the
  sweeper looks at it at its expiry.

  KEYS[1] inv:{h:S}:hold:ID   KEYS[2] inv:{h:S}:expiries
  ARGV[1] hold id

  Returns {0}              held
          {-10, state}     released meanwhile (a DELETE, or the sweeper after the grace
                           period): the caller gives the legs back
]]
local h = redis.call("HMGET", KEYS[1], "state", "expires_at", "target")
if h[1] ~= "placing" then
  return {-10, h[3] or h[1] or "released"}
end
redis.call("HSET", KEYS[1], "state", "held")
redis.call("ZADD", KEYS[2], tonumber(h[2]), ARGV[1])
return {0}
