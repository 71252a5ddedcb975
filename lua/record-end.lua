--[[
  Last step of an operation run leg by leg: the record ends in `state` when it is still in the
  state the operation left it in (lua/include/end-record.lua); in any case the sweeper forgets
  the id.

  KEYS[1] inv:{h:S}:hold:ID   KEYS[2] inv:{h:S}:expiries
  ARGV[1] id   ARGV[2] the state it must be in   ARGV[3] the end state ("" = its target field)
  ARGV[4] now (ms)   ARGV[5] how long the ended record stays answerable (ms)

  Returns {0, state before}
]]
-- @include end-record
local h = redis.call("HMGET", KEYS[1], "state", "target")
if h[1] == ARGV[2] then
  local final = ARGV[3]
  if final == "" then final = h[2] end
  endRecord(final, ARGV[4], ARGV[5])
else
  redis.call("ZREM", KEYS[2], ARGV[1])
end
return {0, h[1] or ""}
