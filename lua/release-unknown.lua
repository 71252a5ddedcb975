--[[
  A release of a hold id that neither Redis nor the ledger knows. The hold may still be on its
  way: its request stalled in flight-svc past the caller's deadline, and the caller gave up and
  released. The id is marked released now, so the hold, when it lands, finds the mark and is
  refused (lua/hold.lua answers -4) instead of taking seats that nobody will confirm or release.
  The mark has no legs and no seats: nothing is given back, and a confirm or a read of the id
  still finds no hold.

  KEYS[1] inv:hold:ID
  ARGV[1] now (ms)
  ARGV[2] how long the mark lives (ms): at least as long as any hold may live

  Returns {0}           marked now, or marked before (a repeated release)
          {-10, state}  a hold with this id exists now (it landed meanwhile): release it as usual
]]
local h = redis.call("HMGET", KEYS[1], "state", "legs")
if h[1] and h[2] then
  return {-10, h[1]}
end
redis.call("HSET", KEYS[1], "state", "released", "ended_at", ARGV[1])
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return {0}
