--[[
  A hold placed leg by leg that a leg refused (no counter, too few seats): its legs already
  taken were given back, and the record goes, so the same id may be tried again.

  KEYS[1] inv:{h:S}:hold:ID   KEYS[2] inv:{h:S}:expiries
  ARGV[1] hold id

  Returns {1} removed, {0} it was no longer placing (released meanwhile: the mark stays)
]]
if redis.call("HGET", KEYS[1], "state") ~= "placing" then
  return {0}
end
redis.call("DEL", KEYS[1])
redis.call("ZREM", KEYS[2], ARGV[1])
return {1}
